import Component from "@glimmer/component";
import { tracked } from "@glimmer/tracking";
import { on } from "@ember/modifier";
import { action } from "@ember/object";
import { guidFor } from "@ember/object/internals";
import { service } from "@ember/service";
import { ajax } from "discourse/lib/ajax";
import { i18n } from "discourse-i18n";
import { relativeTime, statusViewModel } from "../lib/import-status";
import { loadStatusDocument, StatusFetchError } from "../lib/status-source";

function relativeTimeFormat(language) {
  try {
    return new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  } catch {
    // A language tag the browser does not know: use the browser's own.
    return new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  }
}

export default class IcsImportStatus extends Component {
  @service currentUser;

  @tracked state = "loading";
  @tracked view = null;
  @tracked error = null;
  @tracked now = Date.now();

  titleId = `ics-import-status-title-${guidFor(this)}`;

  formatter = relativeTimeFormat(document.documentElement.lang);

  relative = (instant) => {
    const { value, unit } = relativeTime(Date.parse(instant), this.now);
    return this.formatter.format(value, unit);
  };

  absolute = (instant) => new Date(instant).toLocaleString();

  outcomeLabel = (outcome) =>
    i18n(themePrefix(`import_status.outcome.${outcome}`));

  countLabel = (key) => i18n(themePrefix(`import_status.counts.${key}`));

  failureText = (failure) =>
    failure.event
      ? i18n(themePrefix("import_status.failure_event"), {
          event: failure.event,
          reason: failure.reason,
        })
      : failure.reason;

  constructor() {
    super(...arguments);
    if (this.currentUser?.staff) {
      this.load();
    }
  }

  get isLoading() {
    return this.state === "loading";
  }

  get isNotConfigured() {
    return this.state === "not-configured";
  }

  get hasError() {
    return this.state === "fetch-failed" || this.state === "unreadable";
  }

  get isNoData() {
    return this.state === "no-data";
  }

  get generatedText() {
    return i18n(themePrefix("import_status.generated"), {
      time: this.relative(this.view.generatedAt),
    });
  }

  get errorText() {
    if (this.error instanceof StatusFetchError) {
      return i18n(
        themePrefix(`import_status.fetch_errors.${this.error.code}`),
        this.error.params
      );
    }
    return i18n(themePrefix("import_status.unreadable"), {
      reason: this.error?.message,
    });
  }

  // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page.
  @action
  refresh() {
    if (!this.isLoading) {
      this.load();
    }
  }

  @action
  async load() {
    this.state = "loading";
    try {
      const statusDocument = await loadStatusDocument(
        {
          source: settings.status_source,
          topicId: settings.status_topic_id,
          workerUrl: settings.status_worker_url,
        },
        { ajax, fetch: (...args) => window.fetch(...args) }
      );
      this.now = Date.now();
      if (!statusDocument) {
        this.state = "not-configured";
        return;
      }
      this.view = statusViewModel(statusDocument, this.now);
      this.state = this.view.state;
    } catch (error) {
      this.error = error;
      this.state =
        error instanceof StatusFetchError ? "fetch-failed" : "unreadable";
    }
  }

  <template>
    {{#if this.currentUser.staff}}
      <section
        class="ics-import-status"
        data-state={{this.state}}
        aria-labelledby={{this.titleId}}
        aria-busy={{if this.isLoading "true" "false"}}
      >
        <header class="ics-import-status__header">
          <h2 id={{this.titleId}} class="ics-import-status__title">
            {{i18n (themePrefix "import_status.title")}}
          </h2>
          <button
            type="button"
            class="btn btn-default btn-small ics-import-status__refresh"
            aria-disabled={{if this.isLoading "true" "false"}}
            {{on "click" this.refresh}}
          >
            {{i18n (themePrefix "import_status.refresh")}}
          </button>
        </header>

        {{#if this.isLoading}}
          <p class="ics-import-status__message" role="status">
            {{i18n (themePrefix "import_status.loading")}}
          </p>
        {{else if this.isNotConfigured}}
          <p class="ics-import-status__message">
            {{i18n (themePrefix "import_status.not_configured")}}
          </p>
        {{else if this.hasError}}
          <p
            class="ics-import-status__message ics-import-status__message--error"
            role="alert"
          >
            {{this.errorText}}
          </p>
        {{else if this.isNoData}}
          <p class="ics-import-status__message">
            {{i18n (themePrefix "import_status.no_data")}}
          </p>
        {{else}}
          <p class="ics-import-status__generated">
            <time
              datetime={{this.view.generatedAt}}
              title={{this.absolute this.view.generatedAt}}
            >{{this.generatedText}}</time>
          </p>
          <ul class="ics-import-status__feeds">
            {{#each this.view.feeds as |feed|}}
              <li
                class="ics-import-status__feed"
                data-feed-id={{feed.id}}
                data-state={{feed.state}}
              >
                <h3 class="ics-import-status__feed-name">{{feed.name}}</h3>
                <p class="ics-import-status__badges">
                  {{#if feed.neverRun}}
                    <span
                      class="ics-import-status__badge ics-import-status__badge--never-run"
                    >{{i18n (themePrefix "import_status.never_run")}}</span>
                  {{else}}
                    <span
                      class="ics-import-status__badge ics-import-status__badge--{{feed.outcome}}"
                    >{{this.outcomeLabel feed.outcome}}</span>
                  {{/if}}
                  {{#if feed.stale}}
                    <span
                      class="ics-import-status__badge ics-import-status__badge--stale"
                    >{{i18n (themePrefix "import_status.stale")}}</span>
                  {{/if}}
                </p>
                <dl class="ics-import-status__times">
                  {{#if feed.lastRunAt}}
                    <dt>{{i18n (themePrefix "import_status.last_run")}}</dt>
                    <dd>
                      <time
                        datetime={{feed.lastRunAt}}
                        title={{this.absolute feed.lastRunAt}}
                      >{{this.relative feed.lastRunAt}}</time>
                    </dd>
                  {{/if}}
                  <dt>{{i18n (themePrefix "import_status.next_run")}}</dt>
                  <dd>
                    {{#if feed.nextRunAt}}
                      <time
                        datetime={{feed.nextRunAt}}
                        title={{this.absolute feed.nextRunAt}}
                      >{{this.relative feed.nextRunAt}}</time>
                    {{else}}
                      {{i18n (themePrefix "import_status.not_scheduled")}}
                    {{/if}}
                  </dd>
                </dl>
                {{#if feed.counts}}
                  <ul
                    class="ics-import-status__counts"
                    aria-label={{i18n
                      (themePrefix "import_status.counts_label")
                    }}
                  >
                    {{#each feed.counts as |count|}}
                      <li data-count={{count.key}}>
                        <strong>{{count.value}}</strong>
                        {{this.countLabel count.key}}
                      </li>
                    {{/each}}
                  </ul>
                {{/if}}
                {{#if feed.failures}}
                  <div class="ics-import-status__failures">
                    <h4>{{i18n (themePrefix "import_status.failures")}}</h4>
                    <ul>
                      {{#each feed.failures as |failure|}}
                        <li>{{this.failureText failure}}</li>
                      {{/each}}
                    </ul>
                  </div>
                {{/if}}
              </li>
            {{/each}}
          </ul>
        {{/if}}
      </section>
    {{/if}}
  </template>
}
