// Real-world feeds are rarely well-formed XML, and a strict parser must never expand what a hostile DTD declares.
// One pass, linear in time and memory whatever the input, repairs the text first: the DOCTYPE goes (billion laughs and
// XXE stay literal text), HTML entities and stray `&` and `<` become XML, inline markup in text elements becomes HTML
// in CDATA (the tree would lose its order), end tags are balanced as lenient parsers do. Line numbers stay true.
import { decodeHTMLStrict } from 'entities';
import { MAX_XML_DEPTH } from './xml-tree.ts';

export interface RepairedXml {
  /** The repaired document in pieces, to be read in order (joined, they would be one more copy of it). */
  xml: string[];
  /** Qualified name of the root element (e.g. "rss", "rdf:RDF", "feed"), or null when there is none. */
  rootName: string | null;
  /** Elements the parser will read (those inside text elements become HTML text), and how deep they nest. */
  elements: number;
  depth: number;
}

/** Elements whose content is text or HTML in RSS and Atom, and may arrive with unescaped markup inside. */
const TEXT_ELEMENTS = new Set([
  'title',
  'subtitle',
  'tagline',
  'summary',
  'content',
  'description',
  'content:encoded',
  'rights',
  'copyright',
  'info',
  'guid',
  'atom:title',
  'atom:summary',
  'atom:content',
  'itunes:summary',
]);

const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Tab, LF and CR are the only C0 controls XML 1.0 allows; U+FFFE and U+FFFF are not characters at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to find.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const REFERENCE = /&(#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{0,31};)?/g;
/** The longest text REFERENCE matches: "&", a 32-character name and ";". */
const LONGEST_REFERENCE = 34;
const PIECE_CHARS = 64 * 1024;
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/<>"']+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s<>"']+))?)*)\s*(\/?)>/y;
const END_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const ROOT_NAME = /\s*<([A-Za-z_][\w.:-]*)/y;

export function repairFeedXml(input: string): RepairedXml {
  const text = input.replace(FORBIDDEN_CHARACTERS, '');
  const out = new Output();
  const rootStart = copyProlog(text, out);
  ROOT_NAME.lastIndex = rootStart;
  const rootName = ROOT_NAME.exec(text)?.[1] ?? null;
  copyBody(text, rootStart, out);
  return { xml: out.pieces(), rootName, elements: out.elements, depth: out.depth };
}

/** Copies the XML declaration, comments and processing instructions; replaces a DOCTYPE by its line breaks. */
function copyProlog(text: string, out: Output): number {
  const whitespace = /\s*/y;
  let pos = 0;
  for (;;) {
    whitespace.lastIndex = pos;
    whitespace.exec(text);
    const start = whitespace.lastIndex;
    const isDoctype = /^<!DOCTYPE/i.test(text.slice(start, start + 9));
    const end = text.startsWith('<?', start)
      ? closeOf(text, '?>', start)
      : text.startsWith('<!--', start)
        ? closeOf(text, '-->', start)
        : isDoctype
          ? doctypeEnd(text, start)
          : -1;
    if (end < 0) return pos;
    out.write(isDoctype ? text.slice(pos, start) + lineBreaksIn(text.slice(start, end)) : text.slice(pos, end));
    pos = end;
  }
}

/** End of a DOCTYPE, skipping `>` inside quotes and inside the internal subset `[...]`. */
function doctypeEnd(text: string, start: number): number {
  let quote = '';
  let depth = 0;
  for (let i = start + 9; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return text.length;
}

function copyBody(text: string, from: number, out: Output): void {
  let pos = from;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    for (let at = pos; at < textEnd; ) {
      const end = pieceEnd(text, at, textEnd);
      out.text(repairReferences(text.slice(at, end)));
      at = end;
    }
    if (lt < 0) return;
    if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      out.cdata(text.slice(lt + 9, close < 0 ? text.length : close));
      pos = close < 0 ? text.length : close + 3;
    } else if (text.startsWith('<!--', lt) || text.startsWith('<?', lt)) {
      pos = closeOf(text, text[lt + 1] === '!' ? '-->' : '?>', lt);
      out.text(text.slice(lt, pos));
    } else if (text[lt + 1] === '/') {
      END_TAG.lastIndex = lt;
      const end = END_TAG.exec(text);
      if (end?.[1]) out.endTag(end[1], end[0]);
      else out.text('&lt;');
      pos = end ? END_TAG.lastIndex : lt + 1;
    } else {
      START_TAG.lastIndex = lt;
      const start = START_TAG.exec(text);
      if (start?.[1]) out.startTag(start[1], repairReferences(start[0]), start[3] === '/');
      else out.text('&lt;');
      pos = start ? START_TAG.lastIndex : lt + 1;
    }
  }
}

/** Just past `terminator`, searched after the two-character opener at `from`; the end of the text when missing. */
function closeOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from + 2);
  return at < 0 ? text.length : at + terminator.length;
}

function lineBreaksIn(text: string): string {
  return text.replace(/[^\n]/g, '');
}

/**
 * Where to end a piece of text that starts at `from`: at most PIECE_CHARS on, and never inside a reference. V8's global
 * replace holds every match of its whole input until it is done (hundreds of megabytes for 4 million `&`), so long
 * text is repaired a piece at a time.
 */
function pieceEnd(text: string, from: number, to: number): number {
  const end = from + PIECE_CHARS;
  if (end >= to) return to;
  // A reference has no `&` inside, so one cut in two starts at the last `&` shortly before the cut.
  const windowStart = end - LONGEST_REFERENCE;
  const ampersand = text.slice(windowStart, end).lastIndexOf('&');
  return ampersand > 0 ? windowStart + ampersand : end;
}

/** Entity and character references made acceptable to a strict XML parser, with their HTML meaning. */
function repairReferences(segment: string): string {
  if (!segment.includes('&')) return segment;
  if (segment.length > PIECE_CHARS) {
    const pieces: string[] = [];
    for (let at = 0; at < segment.length; ) {
      const end = pieceEnd(segment, at, segment.length);
      pieces.push(repairReferences(segment.slice(at, end)));
      at = end;
    }
    return pieces.join('');
  }
  return segment.replace(REFERENCE, (whole, reference: string | undefined) => {
    if (!reference) return '&amp;';
    if (reference.startsWith('#')) {
      const hex = reference[1] === 'x' || reference[1] === 'X';
      const codePoint = parseInt(reference.slice(hex ? 2 : 1, -1), hex ? 16 : 10);
      // 0x80–0x9F are C1 controls in Unicode but, in feeds, always mean the windows-1252 characters (’ “ ” —),
      // which is also how HTML reads them.
      if (isXmlCharacter(codePoint) && (codePoint < 0x80 || codePoint > 0x9f)) return whole;
      return numericReferences(decodeHTMLStrict(`&#${codePoint};`));
    }
    if (XML_PREDEFINED.has(reference.slice(0, -1))) return whole;
    const decoded = decodeHTMLStrict(whole);
    // Unknown names (including any a DTD may have declared) stay as literal text, unexpanded.
    return decoded === whole ? `&amp;${reference}` : numericReferences(decoded);
  });
}

function isXmlCharacter(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function numericReferences(text: string): string {
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0xfffd;
    out += `&#${isXmlCharacter(codePoint) ? codePoint : 0xfffd};`;
  }
  return out;
}

/**
 * Names of open elements, innermost last, counted by name so that looking one up never walks the stack. Past `limit`
 * open elements only their number is kept: a document nested that deep is refused (outside text elements) or is
 * HTML whose deepest elements close with the outer ones they are inside (inside them).
 */
class ElementStack {
  private readonly names: string[] = [];
  private readonly counts = new Map<string, number>();
  private readonly limit: number;
  private untracked = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get depth(): number {
    return this.names.length + this.untracked;
  }

  push(name: string): void {
    if (this.names.length >= this.limit) {
      this.untracked++;
      return;
    }
    this.names.push(name);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }

  /** Closes the innermost `name` and everything opened inside it; `closed` gets the names of those, innermost first. */
  closeTo(name: string, closed: (name: string) => void = () => {}): void {
    for (let top = this.pop(); top !== undefined && top !== name; top = this.pop()) if (top !== null) closed(top);
  }

  /** Closes everything; `closed` gets the names, innermost first. */
  closeAll(closed: (name: string) => void): void {
    for (let top = this.pop(); top !== undefined; top = this.pop()) if (top !== null) closed(top);
  }

  /** The innermost name, null for an element past the limit, undefined when nothing is open. */
  private pop(): string | null | undefined {
    if (this.untracked > 0) {
      this.untracked--;
      return null;
    }
    const name = this.names.pop();
    if (name !== undefined) this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
    return name;
  }
}

/** A text element being copied, kept aside until its end tag tells whether it held markup. */
interface OpenTextElement {
  name: string;
  startTag: string;
  /** Elements opened inside it and not closed yet (HTML inside feeds leaves <p> and <br> open freely). */
  inner: ElementStack;
  hasMarkup: boolean;
  /** type="xhtml" (Atom 1.0) or mode="xml" (Atom 0.3): CDATA inside is literal text, not HTML. */
  isXhtml: boolean;
  content: Pieces;
}

/** Accumulates the repaired document; diverts the inside of text elements until they close. */
class Output {
  private readonly parts = new Pieces();
  /** Elements open outside text elements. */
  private readonly outer = new ElementStack(MAX_XML_DEPTH);
  private open: OpenTextElement | null = null;
  elements = 0;
  depth = 0;

  write(chunk: string): void {
    this.parts.push(chunk);
  }

  text(chunk: string): void {
    if (this.open) this.open.content.push(chunk);
    else this.write(chunk);
  }

  cdata(content: string): void {
    // Unescaped HTML in RSS often mixes CDATA and text ("Breaking: <![CDATA[<b>News</b>]]>"): the CDATA is HTML.
    if (this.open) this.open.content.pushCdata(content);
    else this.write(`<![CDATA[${content}]]>`);
  }

  startTag(name: string, tag: string, selfClosing: boolean): void {
    const open = this.open;
    if (open) {
      open.hasMarkup = true;
      if (!selfClosing) open.inner.push(name);
      open.content.push(tag);
      return;
    }
    this.elements++;
    if (!TEXT_ELEMENTS.has(name) || selfClosing) {
      if (!selfClosing) this.outer.push(name);
      this.depth = Math.max(this.depth, this.outer.depth + (selfClosing ? 1 : 0));
      this.write(tag);
      return;
    }
    this.depth = Math.max(this.depth, this.outer.depth + 1);
    this.open = {
      name,
      startTag: tag,
      inner: new ElementStack(MAX_HTML_DEPTH_TRACKED),
      hasMarkup: false,
      isXhtml: /\s(?:type\s*=\s*["'][^"']*xhtml|mode\s*=\s*["']xml["'])/i.test(tag),
      content: new Pieces(),
    };
  }

  endTag(name: string, tag: string): void {
    const open = this.open;
    if (!open) {
      this.closeOuter(name, tag);
      return;
    }
    if (open.inner.has(name)) {
      open.inner.closeTo(name);
      open.content.push(tag);
      return;
    }
    if (name !== open.name && !this.outer.has(name)) {
      // An end tag for nothing open anywhere is HTML's stray </p> or </div>: part of the text's markup.
      open.hasMarkup = true;
      open.content.push(tag);
      return;
    }
    this.open = null;
    if (name !== open.name || !open.hasMarkup) {
      // Closed by an element opened outside, the text element was never closed: everything is copied as it came, and
      // the parser reports the broken document rather than swallow the rest of the feed into one field.
      this.write(open.startTag);
      this.parts.append(open.content.chunks(asCdata));
      this.write(tag);
      return;
    }
    const html = open.content.chunks(open.isXhtml ? escapeText : asIs).join('');
    this.write(markedAsHtml(open.startTag));
    this.write('<![CDATA[');
    this.write((open.isXhtml ? unwrapXhtmlDiv(html) : html).replaceAll(']]>', ']]]]><![CDATA[>'));
    this.write(`]]>${tag}`);
  }

  pieces(): string[] {
    // A text element left open by a truncated document is copied as it came; the parser will say what is wrong.
    if (this.open) {
      this.write(this.open.startTag);
      this.parts.append(this.open.content.chunks(asCdata));
    } else this.outer.closeAll((name) => this.write(`</${name}>`));
    return this.parts.chunks(asCdata);
  }

  /** An end tag outside text elements: it closes what was opened inside its element too, or nothing (dropped). */
  private closeOuter(name: string, tag: string): void {
    if (!this.outer.has(name)) {
      this.write(lineBreaksIn(tag));
      return;
    }
    this.outer.closeTo(name, (inside) => this.write(`</${inside}>`));
    this.write(tag);
  }
}

const asIs = (content: string) => content;
const asCdata = (content: string) => `<![CDATA[${content}]]>`;

/**
 * Strings appended one after the other, CDATA sections kept apart. Every 1,024 small pieces are joined into one, so
 * that a run of tiny pieces (an `&lt;` for each stray `<`) costs its characters rather than a pointer and a string
 * header each; a large piece is kept as it is rather than copied.
 */
class Pieces {
  private readonly joined: string[] = [];
  private readonly cdataAt = new Set<number>();
  private pending: string[] = [];

  push(piece: string): void {
    if (!piece) return;
    if (piece.length >= LARGE_PIECE) {
      this.flush();
      this.joined.push(piece);
      return;
    }
    this.pending.push(piece);
    if (this.pending.length >= PIECES_PER_JOIN) this.flush();
  }

  pushCdata(content: string): void {
    this.flush();
    this.cdataAt.add(this.joined.length);
    this.joined.push(content);
  }

  /** Pieces already joined elsewhere, taken as they are. */
  append(chunks: string[]): void {
    for (const chunk of chunks) this.push(chunk);
  }

  /** The pieces in order, each CDATA section's content passed through `cdata`. */
  chunks(cdata: (content: string) => string): string[] {
    this.flush();
    return this.cdataAt.size
      ? this.joined.map((chunk, i) => (this.cdataAt.has(i) ? cdata(chunk) : chunk))
      : this.joined;
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.joined.push(this.pending.join(''));
    this.pending = [];
  }
}

const PIECES_PER_JOIN = 1024;
/** HTML inside text elements is tracked this deep for its end tags; deeper, it closes with what it is inside. */
const MAX_HTML_DEPTH_TRACKED = 1024;
const LARGE_PIECE = 4096;

function escapeText(text: string): string {
  if (text.length > PIECE_CHARS) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += PIECE_CHARS) pieces.push(escapeText(text.slice(at, at + PIECE_CHARS)));
    return pieces.join('');
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The start tag with its type/mode replaced by type="html", so readers of the tree know the text is HTML. */
function markedAsHtml(startTag: string): string {
  const bare = startTag.replace(/\s(?:type|mode)\s*=\s*(?:"[^"]*"|'[^']*')/g, '');
  // Trimmed by hand: /\s*\/?>$/ would retry its \s* from every space of a long run, quadratic in the run.
  const end = bare.endsWith('/>') ? -2 : -1;
  return `${bare.slice(0, end).trimEnd()} type="html">`;
}

/** Atom wraps XHTML content in one xhtml:div that is not part of the content; element prefixes mean nothing in HTML. */
function unwrapXhtmlDiv(html: string): string {
  const inner = /^\s*<(?:[\w.-]+:)?div\b[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?div>\s*$/.exec(html)?.[1] ?? html;
  if (inner.length <= PIECE_CHARS) return withoutPrefixes(inner);
  // A piece at a time, each cut before a `<`: a prefixed name starts at one and holds no other.
  const pieces: string[] = [];
  for (let at = 0; at < inner.length; ) {
    const lt = inner.slice(at + 1, at + PIECE_CHARS).lastIndexOf('<');
    const end = at + PIECE_CHARS >= inner.length ? inner.length : lt >= 0 ? at + 1 + lt : at + PIECE_CHARS;
    pieces.push(withoutPrefixes(inner.slice(at, end)));
    at = end;
  }
  return pieces.join('');
}

function withoutPrefixes(html: string): string {
  return html.replace(/<(\/?)[A-Za-z_][\w.-]*:(?=[A-Za-z_])/g, '<$1');
}
