/**
 * `discourse-ics serve --config path.yml`: the long-running worker (sync queue + HTTP API) in one command.
 * SIGTERM/SIGINT stop it gracefully: runs in progress stop between API calls and resume on the next start.
 */
import { parseArgs } from "node:util";
import { createLogger } from "../../core/logger.ts";
import { ConfigError, loadConfig } from "../../service/config.ts";
import { startService } from "../../service/service.ts";

const HELP = `usage: discourse-ics serve --config <file.yml> [options]

Runs the sync worker (BullMQ on Redis) and the HTTP API.

options:
  -c, --config <file>   configuration file (or DICS_CONFIG)
      --check           validate the configuration and exit
      --no-http         worker only (extra worker processes)
      --no-worker       HTTP API only
  -h, --help            this text

environment: REDIS_URL, DICS_REDIS_PREFIX, DICS_HTTP_HOST, DICS_HTTP_PORT, DICS_ADMIN_TOKEN,
DICS_ADMIN_TOKEN_FILE, LOG_LEVEL, LOG_FORMAT (json|pretty). See docs/service.md.`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        check: { type: "boolean" },
        "no-http": { type: "boolean" },
        "no-worker": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`serve: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = values.config ?? process.env.DICS_CONFIG;
  if (!file) {
    console.error(`serve: --config is required\n\n${HELP}`);
    return 2;
  }
  const logger = createLogger({ name: "discourse-ics" });
  let config;
  try {
    config = loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (values.check) {
    console.log(
      `${file}: ok (${config.sites.length} site(s), ${config.feeds.length} feed(s), ${config.exports.length} export(s))`,
    );
    return 0;
  }
  let service;
  try {
    service = await startService(config, { logger, http: !values["no-http"], worker: !values["no-worker"] });
  } catch (err) {
    logger.error({ err: (err as Error).message }, "could not start");
    return 1;
  }
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting at once");
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, "stopping: letting runs in progress reach a safe point");
      service.close().then(
        () => {
          logger.info("stopped");
          resolve(0);
        },
        (err: Error) => {
          logger.error({ err: err.message }, "error while stopping");
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
