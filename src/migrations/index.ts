import type { MigrationInterface } from "typeorm";
import { AddLatestQuotesIndex1795867227813 } from "./1795867227813-AddLatestQuotesIndex";
import { Initial1795860853593 } from "./1795860853593-Initial";
import { AddSortIndexes1795862079258 } from "./1795862079258-AddSortIndexes";
import { AddSearchIndex1795862400000 } from "./1795862400000-AddSearchIndex";
import { AddEditLog1795862662207 } from "./1795862662207-AddEditLog";
import { AddProposals1796400999945 } from "./1796400999945-AddProposals";
import { AddArticleBodySearch1796404969050 } from "./1796404969050-AddArticleBodySearch";
import { AddMentions1796414249195 } from "./1796414249195-AddMentions";
import { AddMentionSortIndexes1796415318941 } from "./1796415318941-AddMentionSortIndexes";

/** Every migration, oldest first. TypeORM records which have run in its `migrations` table. */
export const migrations: Array<new () => MigrationInterface> = [Initial1795860853593, AddSortIndexes1795862079258, AddSearchIndex1795862400000, AddEditLog1795862662207, AddLatestQuotesIndex1795867227813, AddProposals1796400999945, AddArticleBodySearch1796404969050, AddMentions1796414249195, AddMentionSortIndexes1796415318941];
