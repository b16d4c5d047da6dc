/**
 * The `Link` header of a v3 list page (RFC 8288, formerly 5988). v3 sends only `rel="next"` [H];
 * the value is taken verbatim: its cursor embeds the first request's filters, and adding any query
 * parameter to it is a 422 (reference §2, gotcha 1).
 */
export function parseNextLink(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const link of splitLinks(header)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!match) continue;
    const [, target, params] = match as unknown as [string, string, string];
    for (const param of params.split(';')) {
      const rel = /^\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))\s*$/i.exec(param);
      // rel may hold several space-separated relation types.
      if (rel && (rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/).includes('next')) return target.trim() || undefined;
    }
  }
  return undefined;
}

/** Splits on the commas between links, not those inside `<…>` or quoted parameter values. */
function splitLinks(header: string): string[] {
  const links: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      links.push(header.slice(start, i));
      start = i + 1;
    }
  }
  links.push(header.slice(start));
  return links;
}
