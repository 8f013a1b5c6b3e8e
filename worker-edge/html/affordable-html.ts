// htmlparser2 (inside sanitize-html) pays the open-element depth for a start tag and the whole stack for a stray end
// tag (100,000 nested <b>: minutes), and sanitize-html grows its output by `+=` per event (4 MB of `&`: hundreds of
// MB). One linear pass adds up both, with a stack never shallower than htmlparser2's; HTML over either budget is
// reduced to its text and never handed to sanitize-html.
import { decodeHTML } from 'entities';

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** htmlparser2's tokenizer reads these as text up to their own end tag (in HTML, not in SVG or MathML). */
const RAW_TEXT_ELEMENTS = new Set([
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'plaintext',
]);
/** A start tag that closes an open element of the same name on top of the stack, as htmlparser2 does. */
const CLOSES_SAME = new Set(['p', 'li', 'dt', 'dd', 'option', 'tr', 'td', 'th']);
const FOREIGN_ELEMENTS = new Set(['svg', 'math']);
const HTML_INTEGRATION_POINTS = new Set([
  'foreignobject',
  'desc',
  'title',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
]);

const TAG_NAME = /[^\s/>]*/y;
const BUDGET_PER_CHAR = 20;
const BUDGET_FLOOR = 1_000_000;
/**
 * Tags, text runs and entities sanitize-html may see in one piece of HTML. A long article (500 KB, the most an item
 * keeps) has some 30,000; at about 150 bytes each while sanitize-html works, 100,000 is 15 MB.
 */
export const MAX_HTML_EVENTS = 100_000;

/** `html` itself, or its text (entities decoded, no tags) when sanitising it would cost too much time or memory. */
export type AffordableHtml = { html: string } | { text: string };

export function affordableHtml(html: string): AffordableHtml {
  if (!html.includes('<')) return countOf(html, '&') > MAX_HTML_EVENTS ? { text: decodeHTML(html) } : { html };
  let cost = 0;
  let events = 0;
  const budget = BUDGET_FLOOR + BUDGET_PER_CHAR * html.length;
  const stack = new NameStack();
  for (const token of tokens(html)) {
    events += token.kind === 'text' ? 1 + countOf(token.text, '&') + countOf(token.text, '<') : 1;
    if (token.kind === 'start') {
      cost += stack.depth;
      if (CLOSES_SAME.has(token.name) && stack.top === token.name) stack.pop();
      const foreign = FOREIGN_ELEMENTS.has(token.name) || (!HTML_INTEGRATION_POINTS.has(token.name) && stack.foreign);
      // htmlparser2 honours "/>" only in SVG and MathML; elsewhere <b/> stays open.
      if (!VOID_ELEMENTS.has(token.name) && !(token.selfClosing && foreign)) stack.push(token.name, foreign);
    } else if (token.kind === 'end') {
      cost += stack.closeTo(token.name);
    }
    if (cost > budget || events > MAX_HTML_EVENTS) return { text: textOf(html) };
  }
  return { html };
}

/** The text runs joined with spaces (so that two blocks' text does not run together), every 1,024 as they come. */
function textOf(html: string): string {
  const joined: string[] = [];
  let pending: string[] = [];
  for (const token of tokens(html)) {
    if (token.kind !== 'text') continue;
    pending.push(token.text);
    if (pending.length < 1024) continue;
    joined.push(pending.join(' '));
    pending = [];
  }
  joined.push(pending.join(' '));
  return decodeHTML(joined.join(' '));
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) n++;
  return n;
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'start'; name: string; selfClosing: boolean }
  | { kind: 'end'; name: string };

/** Text, start and end tags, read as htmlparser2's tokenizer reads them; comments and raw text are skipped. */
function* tokens(html: string): Generator<Token> {
  let pos = 0;
  let textFrom = 0;
  let foreignDepth = 0;
  while (pos < html.length) {
    const lt = html.indexOf('<', pos);
    if (lt < 0) break;
    const next = html[lt + 1] ?? '';
    const closing = next === '/';
    const nameAt = closing ? lt + 2 : lt + 1;
    let end: number;
    let token: Token | null = null;
    if (html.startsWith('<!--', lt)) end = after(html, '-->', lt + 4);
    else if (next === '!' || next === '?' || (closing && !isLetter(html[nameAt]))) end = after(html, '>', lt + 2);
    else if (!isLetter(html[nameAt])) {
      pos = lt + 1;
      continue;
    } else {
      TAG_NAME.lastIndex = nameAt;
      const name = (TAG_NAME.exec(html)?.[0] ?? '').toLowerCase();
      end = closing ? after(html, '>', TAG_NAME.lastIndex) : endOfStartTag(html, TAG_NAME.lastIndex);
      token = closing ? { kind: 'end', name } : { kind: 'start', name, selfClosing: html[end - 2] === '/' };
      if (!closing && FOREIGN_ELEMENTS.has(name)) foreignDepth++;
      if (closing && FOREIGN_ELEMENTS.has(name) && foreignDepth > 0) foreignDepth--;
      if (!closing && foreignDepth === 0 && RAW_TEXT_ELEMENTS.has(name)) {
        const close = name === 'plaintext' ? -1 : indexOfIgnoringCase(html, `</${name}`, end);
        if (textFrom < lt) yield { kind: 'text', text: html.slice(textFrom, lt) };
        yield token;
        if (close >= 0) yield { kind: 'end', name };
        pos = textFrom = close < 0 ? html.length : after(html, '>', close);
        continue;
      }
    }
    if (textFrom < lt) yield { kind: 'text', text: html.slice(textFrom, lt) };
    if (token) yield token;
    pos = textFrom = end;
  }
  if (textFrom < html.length) yield { kind: 'text', text: html.slice(textFrom) };
}

/** Just past the `>` that ends a start tag; a `>` inside a quoted attribute value does not end it. */
function endOfStartTag(html: string, from: number): number {
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (c === '>') return i + 1;
    if (c !== '=') continue;
    while (/\s/.test(html[i + 1] ?? '')) i++;
    const quote = html[i + 1];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 2);
      if (close < 0) return html.length;
      i = close;
    }
  }
  return html.length;
}

function after(html: string, terminator: string, from: number): number {
  const at = html.indexOf(terminator, from);
  return at < 0 ? html.length : at + terminator.length;
}

/** Where raw text ends: its first end tag, in any case. Each search starts where the last one stopped: linear. */
function indexOfIgnoringCase(html: string, needle: string, from: number): number {
  const search = new RegExp(needle, 'gi');
  search.lastIndex = from;
  return search.exec(html)?.index ?? -1;
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z]/.test(c);
}

/** Open element names, innermost last, with counts so that an end tag for nothing open costs no search. */
class NameStack {
  private readonly names: string[] = [];
  private readonly foreignFlags: boolean[] = [];
  private readonly counts = new Map<string, number>();

  get depth(): number {
    return this.names.length;
  }

  get top(): string | undefined {
    return this.names.at(-1);
  }

  get foreign(): boolean {
    return this.foreignFlags.at(-1) ?? false;
  }

  push(name: string, foreign: boolean): void {
    this.names.push(name);
    this.foreignFlags.push(foreign);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  pop(): void {
    const name = this.names.pop();
    this.foreignFlags.pop();
    if (name !== undefined) this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
  }

  /** Closes the innermost `name` and what is inside it; returns what htmlparser2's search for it costs. */
  closeTo(name: string): number {
    if (!this.counts.get(name)) return this.names.length;
    let searched = 0;
    while (this.top !== name) {
      this.pop();
      searched++;
    }
    this.pop();
    return searched + 1;
  }
}
