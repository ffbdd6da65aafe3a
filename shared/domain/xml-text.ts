/**
 * The characters XML 1.0 cannot carry (§2.2 `Char`): C0 controls other than tab, line feed and
 * carriage return (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F), U+FFFE, U+FFFF, and a
 * surrogate that is not half of a pair. One of them in a title makes CAP, Atom and RSS
 * unreadable for every consumer: the API refuses them where text comes in, and the status site
 * strips them where text goes out, so text stored before that rule renders too.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const EVERY_NOT_XML_CHAR = new RegExp(NOT_XML_CHAR.source, 'gu');

/** The first character XML forbids in `text`, as `U+000B`, or undefined when there is none. */
export function firstNonXmlChar(text: string): string | undefined {
  const found = NOT_XML_CHAR.exec(text)?.[0];
  return found === undefined
    ? undefined
    : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` without the characters XML forbids; everything else, emoji included, is kept. */
export function stripNonXmlChars(text: string): string {
  return text.replace(EVERY_NOT_XML_CHAR, '');
}
