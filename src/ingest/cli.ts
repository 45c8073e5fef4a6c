/**
 * `npm run ingest -- FILE|FOLDER... [options]`: proposes articles from text files for review, as
 * `proposeArticle` does. Nothing enters the knowledge base until an editor accepts candidates.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { SingleBar, Presets } from "cli-progress";
import { ConfigError, loadConfig } from "../config";
import { openStore } from "../storage/open-store";
import { proposeArticle } from "../services/ingest/propose";
import { toGlobalId } from "../model/global-id";
import { InputValidationError } from "../errors";
import { GraphQLError } from "graphql";

const USAGE = `Usage: npm run ingest -- FILE|FOLDER... [options]

Proposes each article (a UTF-8 text or Markdown file; a folder means every .md and .txt file in
it) for review: the extractor's candidate people, organizations, countries, positions and quotes
are stored as a proposal in the database at DATABASE_PATH (default data/kb.sqlite). Editors then
accept or reject them through the API (proposals, acceptCandidates, acceptProposal).

Metadata comes from the options, else from a sidecar FILE.json next to the file (the seed
fixture's format: {"article": {"url", "title", "publisher", "byline", "publishedAt", "language"}}),
else from the file: the title from its first "# " heading, the date from a YYYY-MM-DD name prefix.

  --url URL            the article's URL (one file only)
  --url-prefix URL     for many files: URL + the file's name without extension
  --title TEXT         the headline (one file only)
  --published DATE     the publication date, YYYY-MM-DD
  --publisher TEXT     who published it
  --byline TEXT        who wrote it
  --language TAG       BCP 47 language tag (default en)
  --editor NAME        recorded as the proposer (default: $USER, else "ingest")
  --help`;

/** The article metadata a file can be given. */
interface Metadata {
  url?: string;
  title?: string;
  publisher?: string;
  byline?: string | null;
  publishedAt?: string;
  language?: string;
}

/** Thrown for a file that cannot be proposed; the message says why. */
class FileError extends Error {}

function filesOf(arg: string): string[] {
  const stat = fs.statSync(arg, { throwIfNoEntry: false });
  if (!stat) throw new FileError(`${arg}: no such file or folder`);
  if (!stat.isDirectory()) return [arg];
  return fs
    .readdirSync(arg)
    .filter((name) => /\.(md|txt)$/i.test(name))
    .sort()
    .map((name) => path.join(arg, name));
}

/** Reads a file as UTF-8 text, refusing binary data and invalid UTF-8 rather than storing replacement characters. */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FileError(`${file}: not UTF-8 text`);
  }
}

function sidecar(file: string): Metadata {
  const json = file.replace(/\.[^.]+$/, ".json");
  if (json === file || !fs.existsSync(json)) return {};
  const parsed = JSON.parse(fs.readFileSync(json, "utf8")) as { article?: Metadata };
  return parsed.article ?? {};
}

function metadataOf(file: string, body: string, options: Metadata & { urlPrefix?: string }): Required<Omit<Metadata, "byline">> & { byline: string | null } {
  const side = sidecar(file);
  const base = path.basename(file).replace(/\.[^.]+$/, "");
  const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
  const datePrefix = /^(\d{4}-\d{2}-\d{2})/.exec(base)?.[1];
  const url = options.url ?? side.url ?? (options.urlPrefix ? `${options.urlPrefix}${base}` : undefined);
  const publishedAt = options.publishedAt ?? side.publishedAt ?? datePrefix;
  if (!url) throw new FileError(`${file}: no URL (give --url, --url-prefix or a sidecar ${base}.json)`);
  if (!publishedAt) throw new FileError(`${file}: no publication date (give --published, a sidecar, or a YYYY-MM-DD name prefix)`);
  return {
    url,
    title: options.title ?? side.title ?? heading ?? base,
    publisher: options.publisher ?? side.publisher ?? "Unknown",
    byline: options.byline ?? side.byline ?? null,
    publishedAt,
    language: options.language ?? side.language ?? "en",
  };
}

function describe(error: unknown): string {
  if (error instanceof InputValidationError) return error.problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  if (error instanceof GraphQLError || error instanceof FileError || error instanceof ConfigError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      "url-prefix": { type: "string" },
      title: { type: "string" },
      published: { type: "string" },
      publisher: { type: "string" },
      byline: { type: "string" },
      language: { type: "string" },
      editor: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const files = positionals.flatMap(filesOf);
  if (files.length > 1 && (values.url || values.title)) throw new FileError("--url and --title name one article: give one file, or use --url-prefix and sidecars");
  const config = loadConfig();
  if (config.databaseUrl === null && config.databasePath !== ":memory:") fs.mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const db = await openStore(config);
  const editor = values.editor ?? process.env.USER ?? "ingest";
  const bar = new SingleBar({ format: "{bar} {value}/{total} articles | {file}", hideCursor: true, noTTYOutput: false }, Presets.shades_classic);
  const report: string[] = [];
  let failed = 0;
  const started = Date.now();
  if (process.stderr.isTTY) bar.start(files.length, 0, { file: "" });
  try {
    for (const file of files) {
      try {
        const body = readText(file);
        const meta = metadataOf(file, body, {
          url: values.url,
          urlPrefix: values["url-prefix"],
          title: values.title,
          publishedAt: values.published,
          publisher: values.publisher,
          byline: values.byline,
          language: values.language,
        });
        const proposal = await proposeArticle(db, editor, { ...meta, body });
        const counts = await db.all<{ type: string; n: number }>(`SELECT type, COUNT(*) AS n FROM "candidate" WHERE "proposalId" = ? GROUP BY type ORDER BY type`, [proposal.id]);
        report.push(`${file}: proposal ${toGlobalId("Proposal", proposal.id)} (${counts.map((c) => `${c.n} ${c.type.toLowerCase()}`).join(", ") || "no candidates"})`);
      } catch (error) {
        failed += 1;
        report.push(`${file}: refused: ${describe(error)}`);
      }
      if (process.stderr.isTTY) bar.increment(1, { file: path.basename(file) });
    }
  } finally {
    if (process.stderr.isTTY) bar.stop();
    await db.close();
  }
  const seconds = (Date.now() - started) / 1000;
  for (const line of report) console.log(line);
  console.log(`${files.length - failed} of ${files.length} articles proposed in ${seconds.toFixed(1)} s (${(files.length / Math.max(seconds, 0.001)).toFixed(1)} articles/s)`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(describe(error));
    process.exit(error instanceof FileError || error instanceof ConfigError ? 2 : 1);
  },
);
