import { contentStems, sameWord, tokenize } from "./text";

/**
 * How plainly a question names each product by its title ("bed requests" of Bed Assignment
 * Requests, "customs hold" of Customs Holds): per product, the share of its title's words the
 * question says, each counted 1/n when n of the products' titles hold it ("requests" beside
 * Patient Transport Requests says less than "bed"). Pure.
 */
export function titleShares(question: string, titles: string[]): number[] {
  const said = tokenize(question).filter((token) => !token.stop).map((token) => token.stem);
  const words = titles.map((title) => [...new Set(contentStems(title))]);
  const holders = (stem: string) => words.filter((title) => title.some((other) => sameWord(other, stem))).length;
  return words.map((title) =>
    title.length === 0 ? 0 : title.filter((stem) => said.some((other) => sameWord(other, stem))).reduce((sum, stem) => sum + 1 / holders(stem), 0) / title.length,
  );
}
