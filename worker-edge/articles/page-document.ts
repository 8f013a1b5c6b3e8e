// A web page as a DOM (linkedom), typed to the little we touch: the Worker has no DOM types of its own.
import { parseHTML } from 'linkedom';

export interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  remove(): void;
}

export interface PageDocument {
  readonly head: (PageElement & { append(node: PageElement): void }) | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  createElement(tagName: string): PageElement;
}

export function parsePage(html: string): PageDocument {
  return parseHTML(html).document as PageDocument;
}
