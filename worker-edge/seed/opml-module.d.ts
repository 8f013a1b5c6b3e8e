// OPML files are bundled as text modules (see [[rules]] in wrangler.toml).
declare module '*.opml' {
  const text: string;
  export default text;
}
