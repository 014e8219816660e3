/**
 * The console's only way to make DOM: elements with attributes and children, where every string
 * becomes a text node. Nothing here (or anywhere in the console) assigns HTML, so a market title like
 * `<script>…` — exchange text is user-written — shows as the characters it is.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  id?: string;
  /** data-testid, for the browser tests and for anyone scripting the console. */
  test?: string;
  title?: string;
  href?: string;
  type?: string;
  name?: string;
  value?: string;
  placeholder?: string;
  min?: string;
  max?: string;
  step?: string;
  autocomplete?: string;
  disabled?: boolean;
  required?: boolean;
  onClick?: (e: MouseEvent) => void;
  onSubmit?: (e: SubmitEvent) => void;
  onChange?: (e: Event) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs) as [keyof Attrs, unknown][]) {
    if (value === undefined || value === false) continue;
    if (key === 'onClick') el.addEventListener('click', value as EventListener);
    else if (key === 'onSubmit')
      el.addEventListener('submit', (e) => {
        e.preventDefault(); // the console talks to the API itself; a form never navigates
        (value as (e: SubmitEvent) => void)(e as SubmitEvent);
      });
    else if (key === 'onChange') el.addEventListener('change', value as EventListener);
    else if (key === 'test') el.setAttribute('data-testid', String(value));
    else if (key === 'class') el.className = String(value);
    else if (key === 'value') (el as HTMLInputElement).value = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces everything inside `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A table: header cells, then one row per item; `num` columns are right-aligned. */
export function table(
  test: string,
  head: (string | { text: string; num?: boolean; narrow?: boolean })[],
  rows: Child[][],
  empty = 'nothing yet',
): HTMLElement {
  const cols = head.map((c) => (typeof c === 'string' ? { text: c } : c));
  const cls = (c: { num?: boolean; narrow?: boolean }) => [c.num ? 'num' : '', c.narrow ? 'hide-narrow' : ''].join(' ').trim() || undefined;
  if (rows.length === 0) return h('p', { class: 'muted', test }, empty);
  return h(
    'table',
    { test },
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { class: cls(c) }, c.text)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((cell, i) => h('td', { class: cls(cols[i] ?? {}) }, cell))))),
  );
}

export function panel(title: string, test: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel', test }, h('h2', {}, title), ...children);
}

export function stat(label: string, value: Child, test: string, cls?: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: `value ${cls ?? ''}`.trim(), test }, value));
}
