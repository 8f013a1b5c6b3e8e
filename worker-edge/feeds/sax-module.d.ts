// sax ships without types; this declares the part opml.ts and xml-tree.ts use.
declare module 'sax' {
  interface SaxTag {
    name: string;
    attributes: Record<string, string>;
    isSelfClosing: boolean;
  }

  interface SaxParser {
    /** Zero-based line and column of the character being read, for error messages. */
    line: number;
    column: number;
    /** Each attribute of a start tag as sax reads it, before onopentag. */
    onattribute: (attribute: { name: string; value: string }) => void;
    onopentag: (tag: SaxTag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (error: Error) => void;
    write(chunk: string): SaxParser;
    close(): SaxParser;
  }

  interface SaxOptions {
    /** Only the five predefined XML entities; otherwise HTML's named entities are known too. */
    strictEntities?: boolean;
    position?: boolean;
  }

  const sax: {
    parser(strict: boolean, options?: SaxOptions): SaxParser;
  };
  export default sax;
  export type { SaxParser, SaxTag };
}
