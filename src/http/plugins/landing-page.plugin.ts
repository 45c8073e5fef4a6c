import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../../context";
import { playgroundHtml } from "../playground";

export interface LandingPageOptions {
  /** Where the playground's scripts and styles are served (see `playgroundAssets`). */
  assetPath: string;
  /** The GraphQL endpoint the playground sends its queries to. */
  graphqlPath: string;
}

/** Serves the playground (see `src/http/playground.ts`) as Apollo's landing page at the GraphQL endpoint. */
export function landingPagePlugin(options: LandingPageOptions): ApolloServerPlugin<Context> {
  const { assetPath, graphqlPath } = options;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: playgroundHtml(assetPath, graphqlPath) };
        },
      };
    },
  };
}
