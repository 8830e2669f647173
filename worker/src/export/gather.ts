/**
 * Collects what one export (or one-off export) contains — imported records and calendar-plugin
 * events that pass its category, tag and privacy rules — and builds the ICS text.
 */
import type { ExportConfig, SiteConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import { spanMs } from "../core/span-ms.ts";
import { buildIcs, type BuildOutput } from "./build-ics.ts";
import { resolveCategoryScope, selectPluginEvents, selectRecords } from "./select.ts";
import type { DiscourseReader, ImportedEventSource, PluginEvent } from "./types.ts";

export interface GatherDeps {
  site: SiteConfig;
  records: ImportedEventSource;
  reader: DiscourseReader;
  /** Numbers plugin events' revisions (SEQUENCE); identity when absent. */
  revise?: (events: PluginEvent[]) => Promise<PluginEvent[]>;
}

/** Optional date window for one-off exports: events overlapping [from, to). */
export interface DateWindow {
  from?: string;
  to?: string;
}

export interface GatherOptions {
  window?: DateWindow;
  /** Include private categories although the export has no token (admin downloads). */
  allowPrivate?: boolean;
}

export type GatherResult = ({ refused: false } & BuildOutput) | { refused: true; reason: string };

export async function gatherAndBuild(
  config: ExportConfig,
  deps: GatherDeps,
  opts: GatherOptions = {},
): Promise<GatherResult> {
  const window = opts.window ?? {};
  const scope = resolveCategoryScope(
    config,
    await deps.reader.categories(),
    opts.allowPrivate ?? Boolean(config.token),
  );
  if (scope.refusal) return { refused: true, reason: scope.refusal };
  let tagged: Set<number> | null = null;
  if (config.tags.length > 0) {
    tagged = new Set();
    for (const tag of config.tags) for (const id of await deps.reader.topicIdsWithTag(tag)) tagged.add(id);
  }
  const siteRecords = (await deps.records.listAll()).filter((r) => r.siteId === config.siteId);
  const records = selectRecords(siteRecords, config, scope, tagged).filter((r) => overlaps(r, window));
  let plugin: PluginEvent[] = [];
  if (config.includeCalendarPlugin && deps.site.calendarPlugin) {
    const query: { after?: string; before?: string } = {};
    if (window.from) query.after = window.from;
    if (window.to) query.before = window.to;
    const imported = new Set(siteRecords.map((r) => r.topicId));
    plugin = selectPluginEvents(await deps.reader.pluginEvents(query), config, scope, imported);
    if (deps.revise) plugin = await deps.revise(plugin);
  }
  return {
    refused: false,
    ...buildIcs({ config, siteBaseUrl: deps.site.baseUrl, records, pluginEvents: plugin }),
  };
}

function overlaps(r: ImportedEventRecord, window: DateWindow): boolean {
  if (!window.from && !window.to) return true;
  const { start, end } = spanMs(r.event.time);
  if (window.to && start >= Date.parse(window.to)) return false;
  if (window.from && end <= Date.parse(window.from)) return false;
  return true;
}
