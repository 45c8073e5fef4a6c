import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, isInputObjectType } from "graphql";
import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { FILTER_SPECS } from "../src/sql/filter-compiler";
import { relations } from "../src/sql/relations";
import { EDITOR_ONLY_TYPES } from "../src/sql/tables";
import { Database } from "../src/storage/database";
import { entities } from "../src/entities";
import { Filterable, Model, Through } from "../src/model/decorators";
import { buildModel, model, NodeTypeName } from "../src/model/registry";

// A small model of its own, to show what one entity change does to the registry: a Show and its
// Episodes, Guests through Appearances. Adding `Episode.show` with `@OneToMany` on Show is what
// makes `Show.episodes` a relation, a filter field and a delete check, with no map to edit.
@Model({ plural: "shows", order: ["title", "id"], editable: true })
@Entity("test_show")
class Show {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text", unique: true })
  title!: string;

  @Filterable()
  @OneToMany("Episode", "show")
  episodes?: Episode[];

  @Filterable()
  @Through({ via: "episodes", to: "guest" })
  guests?: Guest[];
}

@Model({ plural: "guests", order: ["-id"] })
@Entity("test_guest")
class Guest {
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable({ enum: { HOST: "HOST", EXPERT: "EXPERT" } })
  @Column({ type: "text" })
  role!: string;
}

@Model({ plural: "episodes", order: ["showId", "id"] })
@Entity("test_episode")
class Episode {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer" })
  showId!: number;

  @Filterable()
  @ManyToOne(() => Show, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "showId" })
  show?: Show;

  @Column({ type: "integer", nullable: true })
  guestId!: number | null;

  @ManyToOne(() => Guest, { nullable: true, onDelete: "CASCADE" })
  @JoinColumn({ name: "guestId" })
  guest?: Guest | null;
}

describe("the model registry", () => {
  it("derives relations, filters and delete rules from the entities and their annotations", () => {
    const registry = buildModel([Show, Guest, Episode]);
    const show = registry.type("Show" as NodeTypeName);
    expect(show.table).toBe("test_show");
    expect(show.defaultOrder).toEqual([
      { column: "title", direction: "ASC" },
      { column: "id", direction: "ASC", list: "Show" },
    ]);
    expect([...show.uniqueColumns].sort()).toEqual(["id", "title"]);
    expect(show.toMany.get("episodes")).toEqual({ field: "episodes", target: "Episode", column: "showId", inverse: "show", filterable: true });
    expect(show.toMany.get("guests")).toEqual({
      field: "guests",
      target: "Guest",
      column: "showId",
      through: { table: "test_episode", own: "showId", other: "guestId" },
      filterable: true,
    });
    expect(show.referrers).toEqual([{ type: "Episode", column: "showId", field: "show" }]);
    const episode = registry.type("Episode" as NodeTypeName);
    expect(episode.toOne.get("show")).toMatchObject({ column: "showId", target: "Show", filterable: true, onDelete: "RESTRICT" });
    expect(episode.toOne.get("guest")).toMatchObject({ column: "guestId", target: "Guest", filterable: false, nullable: true });
    expect(registry.type("Guest" as NodeTypeName).cascades).toEqual([{ type: "Episode", column: "guestId", field: "guest" }]);
    expect(registry.type("Guest" as NodeTypeName).columns.get("role")).toMatchObject({ filter: "enum", enumValues: ["HOST", "EXPERT"] });
    expect(registry.type("Guest" as NodeTypeName).defaultOrder).toEqual([{ column: "id", direction: "DESC", list: "Guest" }]);
  });

  it("refuses an entity without @Model and a through relation that does not exist", () => {
    @Entity("test_bare")
    class Bare {
      @PrimaryGeneratedColumn()
      id!: number;
    }
    expect(() => buildModel([Bare])).toThrow("Bare has no @Model annotation");

    @Model({ plural: "loops", order: ["id"] })
    @Entity("test_loop")
    class Loop {
      @PrimaryGeneratedColumn()
      id!: number;

      @Through({ via: "nothing", to: "nowhere" })
      others?: Loop[];
    }
    expect(() => buildModel([Loop])).toThrow("Loop.others goes through nothing.nowhere, which the model does not have");
  });

  it("refuses a default order that does not end on the primary key", () => {
    @Model({ plural: "unordered", order: ["name"] })
    @Entity("test_unordered")
    class Unordered {
      @PrimaryGeneratedColumn()
      id!: number;

      @Column({ type: "text" })
      name!: string;
    }
    expect(() => buildModel([Unordered])).toThrow("Unordered's default order must end on id or -id");
  });

  it("agrees with the metadata TypeORM builds for the server's entities", async () => {
    const db = await Database.open(":memory:");
    try {
      for (const entity of entities) {
        const metadata = db.dataSource.getMetadata(entity);
        const type = model().type(entity.name as NodeTypeName);
        expect(type.table).toBe(metadata.tableName);
        expect([...type.columns.keys()].sort()).toEqual(metadata.columns.map((c) => c.databaseName).sort());
        for (const column of metadata.columns) {
          const mine = type.columns.get(column.databaseName)!;
          expect({ column: column.databaseName, primary: mine.primary, nullable: mine.nullable }).toEqual({
            column: column.databaseName,
            primary: column.isPrimary,
            nullable: column.isNullable,
          });
        }
        const toOne = metadata.manyToOneRelations.map((r) => ({
          field: r.propertyName,
          column: r.joinColumns[0].databaseName,
          target: r.inverseEntityMetadata.targetName,
          onDelete: r.onDelete ?? "NO ACTION",
        }));
        expect([...type.toOne.values()].map(({ field, column, target, onDelete }) => ({ field, column, target, onDelete }))).toEqual(toOne);
        const toMany = metadata.oneToManyRelations.map((r) => ({
          field: r.propertyName,
          target: r.inverseEntityMetadata.targetName,
          inverse: r.inverseRelation?.propertyName,
        }));
        expect([...type.toMany.values()].filter((r) => !r.through).map(({ field, target, inverse }) => ({ field, target, inverse }))).toEqual(toMany);
      }
    } finally {
      await db.close();
    }
  });

  it("offers every filterable field in the schema's filter inputs, and nothing else", () => {
    const schema = buildSchema(readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8"));
    const filtered = [...model().types.values()].filter((t) => t.filterable).map((t) => t.name);
    expect(filtered.sort()).toEqual(["Article", "Country", "Mention", "Organization", "Person", "Position", "Quote"]);
    for (const typeName of filtered) {
      const input = schema.getType(`${typeName}Filter`);
      if (!isInputObjectType(input)) throw new Error(`${typeName}Filter is missing`);
      const spec = FILTER_SPECS[typeName]!;
      const fromModel = [
        ...Object.keys(spec.scalars),
        ...Object.keys(spec.toOne),
        ...Object.keys(spec.toMany),
        ...Object.keys(spec.special ?? {}),
        "and",
        "or",
        "not",
      ];
      expect({ typeName, fields: fromModel.sort() }).toEqual({ typeName, fields: Object.keys(input.getFields()).sort() });
    }
  });

  it("names the editor-only types and a relation for every to-many field", () => {
    expect([...EDITOR_ONLY_TYPES].sort()).toEqual(["Candidate", "Edit", "Proposal"]);
    expect([...model().types.values()].filter((t) => t.editable).map((t) => t.name).sort()).toEqual([
      "Article",
      "Country",
      "Organization",
      "Person",
      "Position",
      "Quote",
    ]);
    expect([...relations.keys()].sort()).toEqual([
      "Article.mentions",
      "Article.positions",
      "Article.quotes",
      "Country.mentions",
      "Country.organizations",
      "Country.people",
      "Country.positions",
      "Country.quotes",
      "Organization.members",
      "Organization.mentions",
      "Organization.positions",
      "Organization.quotes",
      "Organization.subOrganizations",
      "Person.mentions",
      "Person.organizations",
      "Person.positions",
      "Person.quotes",
      "Position.mentions",
      "Proposal.candidates",
      "Quote.mentions",
    ]);
  });
});
