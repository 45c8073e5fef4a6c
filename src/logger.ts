import pino, { Logger } from "pino";
import { Config } from "./config";

/** Builds the structured (JSON) logger the server and its tools write to. */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
