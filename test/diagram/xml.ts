// A strict little XML well-formedness check for the SVG tests: balanced tags, quoted
// attributes without raw '<' or '&', text without raw '<' and only known entities.
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (chunk: string, where: number) => {
    // XML 1.0 Char: no C0 control but tab, newline, return; no U+FFFE/FFFF; surrogates only in pairs.
    // eslint-disable-next-line no-control-regex -- control characters are what is checked
    const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(chunk);
    if (bad) problems.push(`character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} not allowed in XML at ${where + bad.index}`);
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === '<') problems.push(`raw '<' at ${where + i}`);
      if (chunk[i] === '&') {
        entity.lastIndex = i;
        if (!entity.test(chunk)) problems.push(`bad entity at ${where + i}`);
      }
    }
  };
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    checkText(body.slice(last, m.index), last);
    last = m.index + m[0].length;
    const [, closing, name, attrs, selfClosing] = m;
    for (const a of attrs.matchAll(/="([^"]*)"/g)) checkText(a[1], m.index);
    const names = [...attrs.matchAll(/\s([A-Za-z_:][\w:.-]*)=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) problems.push(`duplicate attribute in <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  checkText(body.slice(last).trim(), last);
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
