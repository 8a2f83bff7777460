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
import { fill, type Translator } from '../text/translate';

export type Value = number | string | boolean;

/** What the expression language says, as l10n templates (translated by the session). */
export const EXPRESSION_MESSAGES = {
  atColumn: '{0} (column {1})',
  malformedNumber: "malformed number '{0}'",
  unterminatedString: 'unterminated string: expected a closing {0}',
  singleEquals: "unexpected '=': use '==' to compare",
  unexpectedCharacter: "unexpected character '{0}'",
  empty: 'empty expression',
  endOfExpression: 'end of expression',
  expectedOperator: "expected an operator or the end of the expression, found '{0}'",
  comparisonsChain: 'comparisons do not chain: use && between them',
  expectedClose: "expected ')' to close the '(' at column {0}, found '{1}'",
  expectedOperand: "expected a number, a string, a name or '(', found '{0}'",
  needsNumbers: "'{0}' needs numbers, got the string {1}",
  needsNumbersGot: "'{0}' needs numbers, got {1} {2}",
  divisionByZero: 'division by zero',
  hitCount: "hit count '{0}' is not understood: expected a number, or '>= N', '> N', '== N' or '% N'",
  hitCountZero: "hit count '% 0' would divide by zero",
  // src/debug/names.ts
  unknownName: "unknown name '{0}': endpoints are {1}; also 'now' and 'event.FIELD'",
  noCurrentEvent: 'no current event: the run has not started',
  noEventField: "the current {0} event has no field '{1}'; it has {2}",
  noField: "'{0}' has no field '{1}'",
  noFieldSuggest: "'{0}' has no field '{1}'; did you mean {2}?",
  noConnection: "'{0}' has no connection (it is {1}), so no {2}",
  noValueNow: '{0} has no value now',
} as const;

/**
 * Thrown for a malformed expression or a name that does not resolve; `column` is 1-based. The
 * message is English; `template` and `args` let the session say it in the client's language.
 */
export class ExpressionError extends Error {
  readonly args: readonly (string | number)[];
  constructor(
    readonly template: string,
    args: readonly (string | number)[] = [],
    readonly column?: number,
  ) {
    const text = fill(template, args);
    super(column === undefined ? text : fill(EXPRESSION_MESSAGES.atColumn, [text, column]));
    this.args = args;
    this.name = 'ExpressionError';
  }

  /** The message in a translator's language. */
  translated(tr: Translator): string {
    const text = tr.message({ template: this.template, args: this.args });
    return this.column === undefined ? text : tr.t(EXPRESSION_MESSAGES.atColumn, text, this.column);
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
        throw new ExpressionError(EXPRESSION_MESSAGES.malformedNumber, [`${match[0]}${after}`], column);
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
      if (j >= text.length) throw new ExpressionError(EXPRESSION_MESSAGES.unterminatedString, [ch], column);
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
    if (ch === '=') throw new ExpressionError(EXPRESSION_MESSAGES.singleEquals, [], column);
    throw new ExpressionError(EXPRESSION_MESSAGES.unexpectedCharacter, [ch], column);
  }
  tokens.push({ kind: 'end', column: text.length + 1, text: EXPRESSION_MESSAGES.endOfExpression });
  return tokens;
}

function isDotBefore(text: string, index: number): boolean {
  return index > 0 && text[index - 1] === '.';
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.peek().kind === 'end') throw new ExpressionError(EXPRESSION_MESSAGES.empty, [], 1);
    const expr = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw new ExpressionError(EXPRESSION_MESSAGES.expectedOperator, [next.text], next.column);
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
    if (again) throw new ExpressionError(EXPRESSION_MESSAGES.comparisonsChain, [], again.column);
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
            throw new ExpressionError(EXPRESSION_MESSAGES.expectedClose, [token.column, next.text], next.column);
          }
          return inner;
        }
        break;
      case 'end':
        break;
    }
    throw new ExpressionError(EXPRESSION_MESSAGES.expectedOperand, [token.text], token.column);
  }
}

export function parseExpression(text: string): Expr {
  return new Parser(scan(text)).parse();
}

function number(value: Value, op: string, column: number): number {
  if (typeof value === 'string') throw new ExpressionError(EXPRESSION_MESSAGES.needsNumbers, [op, JSON.stringify(value)], column);
  if (typeof value !== 'number') throw new ExpressionError(EXPRESSION_MESSAGES.needsNumbersGot, [op, typeof value, String(value)], column);
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
          if (divisor === 0) throw new ExpressionError(EXPRESSION_MESSAGES.divisionByZero, [], expr.column);
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
export function interpolate(template: string, names: NameResolver, tr?: Translator): string {
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
      out += `<${error instanceof ExpressionError && tr ? error.translated(tr) : error instanceof Error ? error.message : String(error)}>`;
    }
    i = close + 1;
  }
  return out;
}

/** Parses a DAP hit condition: `5` or `== 5` (exactly the 5th hit), `>= 5`, `> 5`, `% 5` (every 5th). */
export function parseHitCondition(text: string): (hits: number) => boolean {
  const match = /^\s*(==|>=|>|%|<=|<)?\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new ExpressionError(EXPRESSION_MESSAGES.hitCount, [text]);
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
      if (n === 0) throw new ExpressionError(EXPRESSION_MESSAGES.hitCountZero);
      return (hits) => hits % n === 0;
    default:
      return (hits) => hits === n;
  }
}
