/** How names are compared: shared by the entity finder and the gazetteer index. */

/** Normalizes a name for comparison (case, curly apostrophes, "the"). */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[’`]/g, "'").replace(/^the\s+/, "").replace(/\s+/g, " ").trim();
}

/** The last name of a person's name, without an "al-"/"el-" particle ("Fayez al-Sarraj" → "Sarraj"). */
export function surnameOf(name: string): string {
  const parts = name.split(/\s+/);
  const last = parts[parts.length - 1] ?? name;
  return last.replace(/^(al|el|Al|El)-/, "");
}
