// What a page says where a part of it needs JavaScript: shown until the client module takes that part over (and
// hides the note), so a reader without JavaScript, or with a module that failed to load, knows why it is inert.
import type { Child } from 'hono/jsx';

export function JsNote(props: { children: Child }) {
  return (
    <p class="js-note" data-js-note>
      {props.children}
    </p>
  );
}
