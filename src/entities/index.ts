import { Article } from "./article.entity";
import { Country } from "./country.entity";
import { Edit } from "./edit.entity";
import { Organization } from "./organization.entity";
import { Person } from "./person.entity";
import { Position } from "./position.entity";
import { Quote } from "./quote.entity";

export { Article, Country, Edit, Organization, Person, Position, Quote };
export { EditAction } from "./edit.entity";
export * from "./enums";
export * from "./node";

/** Every TypeORM entity, in the order tables depend on each other. */
export const entities = [Article, Country, Organization, Person, Position, Quote, Edit];
