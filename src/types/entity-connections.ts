import { Article, Country, Mention, Organization, Person, Position, Quote } from "../entities";
import { connectionType } from "./connection-type";

export const ArticleConnection = connectionType(Article, "Article", "articles");
export const CountryConnection = connectionType(Country, "Country", "countries");
export const OrganizationConnection = connectionType(Organization, "Organization", "organizations");
export const PersonConnection = connectionType(Person, "Person", "people");
export const PositionConnection = connectionType(Position, "Position", "positions");
export const QuoteConnection = connectionType(Quote, "Quote", "quotes");
export const MentionConnection = connectionType(Mention, "Mention", "mentions");
