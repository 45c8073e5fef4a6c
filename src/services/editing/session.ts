import { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { Dialect, SqlValue } from "../../storage/dialect";
import { dialectFor } from "../../storage/store";
import { toGlobalId } from "../../model/global-id";
import { everyColumn, NodeTypeName, RawRow, tablesByType } from "../../sql/tables";
import { Edit, EditAction } from "../../entities";
import { typeModel } from "../../model/registry";
import { NotFoundError } from "../../errors";

/** The types editors can create, change and delete (the edit log itself is append-only). */
export type EditableType = Exclude<NodeTypeName, "Mention" | "Edit" | "Proposal" | "Candidate">;

/** The entity class TypeORM writes a type's rows through. */
function entityOf(type: EditableType): EntityTarget<ObjectLiteral> {
  return typeModel(type).entity as EntityTarget<ObjectLiteral>;
}

/** The type each foreign-key column of a type points at, from the model registry. */
function referenceOf(type: EditableType, column: string): NodeTypeName | undefined {
  for (const relation of typeModel(type).toOne.values()) if (relation.column === column) return relation.target;
  return undefined;
}

/** A row of an editable table, hydrated as the read paths hydrate it. */
export type Row = { id: number } & Record<string, unknown>;

const SQLITE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)$/;

/** A timestamp as the API shows it (ISO 8601, UTC); rows keep TypeORM's SQLite text. */
function isoTimestamp(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  const match = typeof value === "string" ? SQLITE_TIMESTAMP.exec(value) : null;
  return match ? new Date(`${match[1]}T${match[2]}Z`).toISOString() : value;
}

/**
 * A record as the edit log keeps it: the GraphQL field names, global IDs for the record and its
 * references, ISO timestamps and evidence grouped as in the API. This is the shape of the
 * `CreateXInput` fields, so an editor can restore a deleted record from its last `before`.
 */
export function snapshot(type: EditableType, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { id: toGlobalId(type, row.id), databaseId: row.id };
  const evidence: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === "id") continue;
    const target = referenceOf(type, key);
    const shown =
      target && typeof value === "number"
        ? toGlobalId(target, value)
        : key === "createdAt" || key === "updatedAt"
          ? isoTimestamp(value)
          : value;
    if (key === "articleId" || key === "startOffset" || key === "endOffset") evidence[key] = shown;
    else out[key] = shown;
  }
  if (Object.keys(evidence).length > 0) out.evidence = evidence;
  return out;
}

/** The value of a column as stored, for deciding whether an update changes anything. */
function comparable(value: unknown): string {
  return JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
}

/**
 * One mutation's unit of work: reads and writes through the transaction's EntityManager, and
 * records every created, changed and deleted row in the edit log with who, when and the
 * record before and after. Services never write except through a session, so nothing changes
 * without an entry in the log.
 */
export class EditSession {
  constructor(
    private readonly manager: EntityManager,
    /** The editor's name, from `EDITOR_TOKENS`. */
    readonly editor: string,
    /** The mutation field being run, such as `addArticle`. */
    readonly mutation: string,
    /** When the mutation started; every edit it records carries this time. */
    readonly at: Date = new Date(),
  ) {
    this.dialect = dialectFor(manager);
  }

  /** The SQL dialect of the database the transaction runs on. */
  readonly dialect: Dialect;

  /** Runs a statement (`?` placeholders) inside the transaction (it sees this mutation's own writes). */
  async select<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.manager.query(this.dialect.native(sql), [...params])) as T[];
  }

  /** Reads one row by primary key, or null. */
  async find<T extends Row>(type: EditableType, id: number): Promise<T | null> {
    const [row] = await this.select<RawRow>(`SELECT ${everyColumn(this.dialect, tablesByType[type], "t")} FROM "${tablesByType[type].table}" t WHERE t.id = ?`, [id]);
    return row ? (tablesByType[type].hydrate(row) as T) : null;
  }

  /** Reads one row by primary key, or throws `NOT_FOUND` naming the input field that held its ID. */
  async load<T extends Row>(type: EditableType, id: number, field: string): Promise<T> {
    const row = await this.find<T>(type, id);
    if (!row) throw new NotFoundError(`${field}: there is no ${type} with the ID "${toGlobalId(type, id)}"`, field);
    return row;
  }

  /**
   * Inserts a row into the review workflow's own tables (proposals and their candidates) in this
   * mutation's transaction and returns its ID. Those rows are drafts, not knowledge, so they are
   * not in the edit log; what an editor accepts from them is, through `create`.
   */
  async insertDraft(entity: EntityTarget<ObjectLiteral>, values: Record<string, unknown>): Promise<number> {
    const result = await this.manager.getRepository(entity).insert(values);
    return Number(result.identifiers[0].id);
  }

  /** Inserts many rows into a review workflow table at once (see `insertDraft`), in a few statements. */
  async insertDrafts(entity: EntityTarget<ObjectLiteral>, rows: readonly Record<string, unknown>[]): Promise<void> {
    // SQLite takes at most 32,766 bound values per statement; candidates have 13 columns.
    for (let i = 0; i < rows.length; i += 500) await this.manager.getRepository(entity).insert(rows.slice(i, i + 500));
  }

  /** Changes rows of the review workflow's own tables (see `insertDraft`). */
  async updateDrafts(entity: EntityTarget<ObjectLiteral>, ids: readonly number[], changes: Record<string, unknown>): Promise<void> {
    if (ids.length > 0) await this.manager.getRepository(entity).update([...ids], changes);
  }

  /** The rows this session has created, as `Type:id`: they vanish if the mutation fails. */
  private readonly created = new Set<string>();

  /** Whether this session created the row (so an error must not name it: it will not exist). */
  createdHere(type: EditableType, id: number): boolean {
    return this.created.has(`${type}:${id}`);
  }

  /** Inserts a row and logs its creation; returns the row as stored. */
  async create<T extends Row>(type: EditableType, values: Record<string, unknown>): Promise<T> {
    const result = await this.manager.getRepository(entityOf(type)).insert(values);
    const id = Number(result.identifiers[0].id);
    this.created.add(`${type}:${id}`);
    const row = (await this.find<T>(type, id)) as T;
    await this.log(EditAction.CREATE, type, row, null, row);
    return row;
  }

  /**
   * Changes the columns of `changes` that differ from the stored row and logs the change; when
   * nothing differs nothing is written (not even `updatedAt`) and nothing is logged.
   */
  async update<T extends Row>(type: EditableType, before: T, changes: Record<string, unknown>): Promise<T> {
    const changed = Object.fromEntries(
      Object.entries(changes).filter(([key, value]) => value !== undefined && comparable(value) !== comparable(before[key])),
    );
    if (Object.keys(changed).length === 0) return before;
    await this.manager.getRepository(entityOf(type)).update(before.id, changed);
    const after = (await this.find<T>(type, before.id)) as T;
    await this.log(EditAction.UPDATE, type, before, before, after);
    return after;
  }

  /** Deletes a row and logs it. Rows the database deletes with it must be logged first (`cascade`). */
  async remove(type: EditableType, row: Row): Promise<void> {
    await this.manager.getRepository(entityOf(type)).delete(row.id);
    await this.log(EditAction.DELETE, type, row, row, null);
  }

  /**
   * Logs the deletion of rows that a foreign key's ON DELETE CASCADE is about to remove (an
   * article's quotes), so that they too can be found in the edit log. Returns their global IDs.
   */
  async cascade(type: EditableType, column: string, parentId: number): Promise<string[]> {
    const rows = await this.select<RawRow>(`SELECT ${everyColumn(this.dialect, tablesByType[type], "t")} FROM "${tablesByType[type].table}" t WHERE t."${column}" = ? ORDER BY t.id`, [parentId]);
    const ids: string[] = [];
    for (const raw of rows) {
      const row = tablesByType[type].hydrate(raw) as Row;
      await this.log(EditAction.DELETE, type, row, row, null);
      ids.push(toGlobalId(type, row.id));
    }
    return ids;
  }

  private async log(action: EditAction, type: EditableType, row: Row, before: Row | null, after: Row | null): Promise<void> {
    const entry: Omit<Edit, "id"> = {
      editor: this.editor,
      action,
      mutation: this.mutation,
      entityType: type,
      entityId: row.id,
      before: before ? JSON.stringify(snapshot(type, before)) : null,
      after: after ? JSON.stringify(snapshot(type, after)) : null,
      createdAt: this.at,
    };
    await this.manager.getRepository(Edit).insert(entry);
  }
}
