// A small, safe expression language for breakpoint conditions, logpoints, watches, hovers
// and the Debug Console. No eval: a scanner, a recursive-descent parser and a tree walker.
//
//   expr    := or
//   or      := and ('||' and)*
//   and     := cmp ('&&' cmp)*
//   cmp     := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
//   sum     := product (('+'|'-') product)*
//   product := unary (('*'|'/'|'%') unary)*
//   unary   := ('!'|'-') unary | primary
//   primary := NUMBER | STRING | STATE | PATH | '(' expr ')'
//
// PATH is a dotted name such as `client.SND.NXT` or `server.state`; what it means is up to the
// `NameResolver` the caller passes. STATE is a bare RFC state name (`TIME-WAIT`, `TIME_WAIT`,
// `ESTABLISHED`), which evaluates to its canonical string so `client.state == TIME-WAIT` works.

import { TCP_STATES, type TcpState } from '../engine/trace';

export type Value = number | string | boolean;

/** Thrown for a malformed expression or a name that does not resolve; `column` is 1-based. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(column === undefined ? message : `${message} (column ${column})`);
    this.name = 'ExpressionError';
  }
}

export interface NameResolver {
  /** Value of a dotted name, e.g. ['client', 'SND', 'NXT']; throws ExpressionError when unknown. */
  resolve(path: readonly string[]): Value;
}

export type Expr =
  | { kind: 'literal'; value: Value; column: number }
  | { kind: 'name'; path: string[]; column: number }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr; column: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; column: number };

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

type Token =
  | { kind: 'number'; value: number; column: number; text: string }
  | { kind: 'string'; value: string; column: number; text: string }
  | { kind: 'state'; value: TcpState; column: number; text: string }
  | { kind: 'path'; parts: string[]; column: number; text: string }
  | { kind: 'op'; op: string; column: number; text: string }
  | { kind: 'end'; column: number; text: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')'];
// Longest names first so FIN-WAIT-1 wins over a shorter prefix.
const STATE_PATTERN = new RegExp(
  `^(?:${[...TCP_STATES]
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/-/g, '[-_]'))
    .join('|')})(?![\\p{L}\\p{N}_-])`,
  'u',
);
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

/** The canonical RFC name for `TIME_WAIT` / `time-wait` / `TIME-WAIT`, or undefined. */
export function canonicalState(text: string): TcpState | undefined {
  const normalized = text.trim().toUpperCase().replace(/_/g, '-');
  return (TCP_STATES as readonly string[]).includes(normalized) ? (normalized as TcpState) : undefined;
}

function scan(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const match = /^(?:0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]+)?)/.exec(text.slice(i))!;
      const after = text[i + match[0].length];
      if (after !== undefined && IDENT_PART.test(after)) {
        throw new ExpressionError(`malformed number '${match[0]}${after}'`, column);
      }
      tokens.push({ kind: 'number', value: Number(match[0]), column, text: match[0] });
      i += match[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new ExpressionError(`unterminated string: expected a closing ${ch}`, column);
      tokens.push({ kind: 'string', value, column, text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const state = STATE_PATTERN.exec(text.slice(i));
    if (state && (tokens.length === 0 || !isDotBefore(text, i))) {
      tokens.push({ kind: 'state', value: canonicalState(state[0])!, column, text: state[0] });
      i += state[0].length;
      continue;
    }
    if (IDENT_START.test(ch)) {
      const parts: string[] = [];
      let j = i;
      for (;;) {
        let k = j;
        while (k < text.length && IDENT_PART.test(text[k])) k++;
        parts.push(text.slice(j, k));
        // A dot continues the path only when a name follows it.
        if (text[k] === '.' && k + 1 < text.length && IDENT_PART.test(text[k + 1])) {
          j = k + 1;
          continue;
        }
        j = k;
        break;
      }
      tokens.push({ kind: 'path', parts, column, text: text.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', op, column, text: op });
      i += op.length;
      continue;
    }
    if (ch === '=') throw new ExpressionError(`unexpected '=': use '==' to compare`, column);
    throw new ExpressionError(`unexpected character '${ch}'`, column);
  }
  tokens.push({ kind: 'end', column: text.length + 1, text: 'end of expression' });
  return tokens;
}

function isDotBefore(text: string, index: number): boolean {
  return index > 0 && text[index - 1] === '.';
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.peek().kind === 'end') throw new ExpressionError('empty expression', 1);
    const expr = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw new ExpressionError(`expected an operator or the end of the expression, found '${next.text}'`, next.column);
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private takeOp(...ops: string[]): Extract<Token, { kind: 'op' }> | undefined {
    const token = this.peek();
    if (token.kind === 'op' && ops.includes(token.op)) {
      this.index++;
      return token;
    }
    return undefined;
  }

  private or(): Expr {
    let left = this.and();
    for (let op = this.takeOp('||'); op; op = this.takeOp('||')) {
      left = { kind: 'binary', op: '||', left, right: this.and(), column: op.column };
    }
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    for (let op = this.takeOp('&&'); op; op = this.takeOp('&&')) {
      left = { kind: 'binary', op: '&&', left, right: this.comparison(), column: op.column };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.sum();
    const op = this.takeOp('==', '!=', '<', '<=', '>', '>=');
    if (!op) return left;
    const expr: Expr = { kind: 'binary', op: op.op as BinaryOp, left, right: this.sum(), column: op.column };
    const again = this.takeOp('==', '!=', '<', '<=', '>', '>=');
    if (again) throw new ExpressionError(`comparisons do not chain: use && between them`, again.column);
    return expr;
  }

  private sum(): Expr {
    let left = this.product();
    for (let op = this.takeOp('+', '-'); op; op = this.takeOp('+', '-')) {
      left = { kind: 'binary', op: op.op as BinaryOp, left, right: this.product(), column: op.column };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    for (let op = this.takeOp('*', '/', '%'); op; op = this.takeOp('*', '/', '%')) {
      left = { kind: 'binary', op: op.op as BinaryOp, left, right: this.unary(), column: op.column };
    }
    return left;
  }

  private unary(): Expr {
    const op = this.takeOp('!', '-');
    if (op) return { kind: 'unary', op: op.op as '!' | '-', operand: this.unary(), column: op.column };
    return this.primary();
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
      case 'string':
      case 'state':
        this.index++;
        return { kind: 'literal', value: token.value, column: token.column };
      case 'path':
        this.index++;
        return { kind: 'name', path: token.parts, column: token.column };
      case 'op':
        if (token.op === '(') {
          this.index++;
          const inner = this.or();
          if (!this.takeOp(')')) {
            const next = this.peek();
            throw new ExpressionError(`expected ')' to close the '(' at column ${token.column}, found '${next.text}'`, next.column);
          }
          return inner;
        }
        break;
      case 'end':
        break;
    }
    throw new ExpressionError(`expected a number, a string, a name or '(', found '${token.text}'`, token.column);
  }
}

export function parseExpression(text: string): Expr {
  return new Parser(scan(text)).parse();
}

function describe(value: Value): string {
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

function number(value: Value, op: string, column: number): number {
  if (typeof value !== 'number') throw new ExpressionError(`'${op}' needs numbers, got ${describe(value)}`, column);
  return value;
}

function truthy(value: Value): boolean {
  return typeof value === 'string' ? value.length > 0 : Boolean(value);
}

export function evaluate(expr: Expr, names: NameResolver): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'name':
      return names.resolve(expr.path);
    case 'unary': {
      const value = evaluate(expr.operand, names);
      return expr.op === '!' ? !truthy(value) : -number(value, '-', expr.column);
    }
    case 'binary': {
      if (expr.op === '&&') return truthy(evaluate(expr.left, names)) && truthy(evaluate(expr.right, names));
      if (expr.op === '||') return truthy(evaluate(expr.left, names)) || truthy(evaluate(expr.right, names));
      const left = evaluate(expr.left, names);
      const right = evaluate(expr.right, names);
      switch (expr.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '+':
          if (typeof left === 'string' || typeof right === 'string') return String(left) + String(right);
          return number(left, '+', expr.column) + number(right, '+', expr.column);
        case '-':
          return number(left, '-', expr.column) - number(right, '-', expr.column);
        case '*':
          return number(left, '*', expr.column) * number(right, '*', expr.column);
        case '/':
        case '%': {
          const divisor = number(right, expr.op, expr.column);
          if (divisor === 0) throw new ExpressionError('division by zero', expr.column);
          const dividend = number(left, expr.op, expr.column);
          return expr.op === '/' ? dividend / divisor : dividend % divisor;
        }
        case '<':
          return number(left, '<', expr.column) < number(right, '<', expr.column);
        case '<=':
          return number(left, '<=', expr.column) <= number(right, '<=', expr.column);
        case '>':
          return number(left, '>', expr.column) > number(right, '>', expr.column);
        case '>=':
          return number(left, '>=', expr.column) >= number(right, '>=', expr.column);
      }
    }
  }
}

export function evaluateText(text: string, names: NameResolver): Value {
  return evaluate(parseExpression(text), names);
}

/** Whether a condition holds: its value, read as true or false (0, "" and false are false). */
export function isTrue(value: Value): boolean {
  return truthy(value);
}

export function formatValue(value: Value): string {
  return typeof value === 'string' ? value : String(value);
}

/** Fills `{expr}` holes of a logpoint message; `{{` and `}}` stand for literal braces. */
export function interpolate(template: string, names: NameResolver): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0) {
      out += template.slice(i);
      break;
    }
    const source = template.slice(i + 1, close);
    try {
      out += formatValue(evaluateText(source, names));
    } catch (error) {
      out += `<${error instanceof Error ? error.message : String(error)}>`;
    }
    i = close + 1;
  }
  return out;
}

/** Parses a DAP hit condition: `5` or `== 5` (exactly the 5th hit), `>= 5`, `> 5`, `% 5` (every 5th). */
export function parseHitCondition(text: string): (hits: number) => boolean {
  const match = /^\s*(==|>=|>|%|<=|<)?\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new ExpressionError(`hit count '${text}' is not understood: expected a number, or '>= N', '> N', '== N' or '% N'`);
  }
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return (hits) => hits >= n;
    case '>':
      return (hits) => hits > n;
    case '<':
      return (hits) => hits < n;
    case '<=':
      return (hits) => hits <= n;
    case '%':
      if (n === 0) throw new ExpressionError(`hit count '% 0' would divide by zero`);
      return (hits) => hits % n === 0;
    default:
      return (hits) => hits === n;
  }
}
