/** A tiny element builder: the pages are plain DOM, no framework. */

type Listener = (event: never) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** `h('a', { href: '/app/', class: 'link' }, 'text')`; `on…` attributes are event listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (typeof value === 'function') {
        element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
      } else {
        element.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let sequence = 0;
/** A document-unique id for tying labels, hints and errors together. */
export const uniqueId = (prefix: string) => `${prefix}-${++sequence}`;
