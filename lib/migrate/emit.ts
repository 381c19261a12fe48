/**
 * The TypeScript that `unik migrate` writes, as a small syntax tree, and its printer. The
 * printer lays code out as `deno fmt` does (2-space indent, double quotes, semicolons,
 * trailing commas on broken lists, a last object/array/function argument kept on the call's
 * line when the call breaks): an expression stays on one line when it fits in the line width,
 * else its innermost lists break, one element per line. Its output is a fixed point of
 * `deno fmt` (tests/migrate_test.ts checks that on the whole corpus).
 * @module
 */

/** TypeScript expressions. */
export type TsExpr =
  | { readonly k: "id"; readonly name: string }
  | { readonly k: "str"; readonly value: string }
  | { readonly k: "num"; readonly text: string }
  | { readonly k: "bool"; readonly value: boolean }
  | { readonly k: "undef" }
  | { readonly k: "template"; readonly parts: readonly (string | TsExpr)[] }
  | {
    readonly k: "call";
    readonly callee: TsExpr;
    readonly typeArgs?: readonly string[];
    readonly args: readonly TsExpr[];
  }
  | { readonly k: "new"; readonly callee: TsExpr; readonly args: readonly TsExpr[] }
  | { readonly k: "member"; readonly obj: TsExpr; readonly name: string }
  | { readonly k: "index"; readonly obj: TsExpr; readonly index: TsExpr }
  | { readonly k: "array"; readonly items: readonly TsExpr[] }
  | { readonly k: "object"; readonly props: readonly TsProp[] }
  | { readonly k: "arrow"; readonly params: readonly TsParam[]; readonly body: TsExpr | TsBlock }
  | { readonly k: "cond"; readonly test: TsExpr; readonly then: TsExpr; readonly else: TsExpr }
  | { readonly k: "bin"; readonly op: string; readonly left: TsExpr; readonly right: TsExpr }
  | { readonly k: "not"; readonly expr: TsExpr }
  | { readonly k: "spread"; readonly expr: TsExpr }
  | { readonly k: "paren"; readonly expr: TsExpr };

/** A property of an object literal (`key: value`, or `key` when the value is that name). */
export interface TsProp {
  /** The key. */
  readonly key: string;
  /** The value. */
  readonly value: TsExpr;
}

/** A parameter: a name, an array pattern or an object pattern, with a default. */
export type TsParam =
  | { readonly k: "name"; readonly name: string; readonly default?: TsExpr }
  | { readonly k: "arrayPat"; readonly names: readonly string[] }
  | {
    readonly k: "objectPat";
    readonly props: readonly {
      readonly key: string;
      readonly name: string;
      readonly default?: TsExpr;
    }[];
    readonly default?: TsExpr;
  };

/** A block of statements (a function body). */
export interface TsBlock {
  /** Marks a block. */
  readonly k: "block";
  /** The statements. */
  readonly body: readonly TsStmt[];
}

/** TypeScript statements. */
export type TsStmt =
  | {
    readonly k: "const";
    readonly name: string | readonly string[];
    readonly value: TsExpr;
    readonly comments?: readonly string[];
    readonly blankBefore?: boolean;
  }
  | {
    readonly k: "function";
    readonly name: string;
    readonly params: readonly TsParam[];
    readonly body: TsBlock;
    readonly returnType?: string;
    readonly comments?: readonly string[];
    readonly blankBefore?: boolean;
  }
  | {
    readonly k: "export";
    readonly value: TsExpr;
    readonly comments?: readonly string[];
    readonly blankBefore?: boolean;
  }
  | {
    readonly k: "expr";
    readonly value: TsExpr;
    readonly comments?: readonly string[];
    readonly blankBefore?: boolean;
  }
  | { readonly k: "return"; readonly value: TsExpr }
  | { readonly k: "throw"; readonly value: TsExpr }
  | { readonly k: "if"; readonly test: TsExpr; readonly then: TsBlock }
  | { readonly k: "comment"; readonly lines: readonly string[]; readonly blankBefore?: boolean };

/** An import declaration. */
export interface TsImport {
  /** Imported names, with an optional local alias. */
  readonly names: readonly { readonly name: string; readonly alias?: string }[];
  /** The module specifier. */
  readonly from: string;
}

/** A whole module: a header comment, imports and statements. */
export interface TsModule {
  /** Comment lines at the top of the file. */
  readonly header: readonly string[];
  /** Import declarations. */
  readonly imports: readonly TsImport[];
  /** The statements. */
  readonly body: readonly TsStmt[];
  /** Comment lines at the end of the file. */
  readonly trailer: readonly string[];
}

/** Prints a module at `width` columns. */
export function printModule(mod: TsModule, width = 80): string {
  const p = new Printer(width);
  const out: string[] = [];
  for (const line of mod.header) out.push(commentLine(line));
  for (const imp of mod.imports) out.push(p.importDecl(imp));
  let first = true;
  for (const s of mod.body) {
    const blank = first
      ? mod.header.length + mod.imports.length > 0
      : "blankBefore" in s && s.blankBefore;
    if (blank) out.push("");
    out.push(p.stmt(s, 0));
    first = false;
  }
  if (mod.trailer.length > 0) {
    out.push("");
    for (const line of mod.trailer) out.push(commentLine(line));
  }
  return out.join("\n") + "\n";
}

function commentLine(line: string): string {
  return line === "" ? "//" : `// ${line}`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal as deno fmt writes it: double quotes unless the text holds more of them. */
export function stringLiteral(s: string): string {
  const doubles = (s.match(/"/g) ?? []).length;
  const singles = (s.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  let out = "";
  for (const ch of s) {
    if (ch === quote) out += `\\${ch}`;
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " " || ch === "\u007f") {
      out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}

function templateText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

const PRECEDENCE: Record<string, number> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "===": 4,
  "!==": 4,
  "+": 6,
  "-": 6,
};

class Printer {
  readonly #width: number;

  constructor(width: number) {
    this.#width = width;
  }

  importDecl(imp: TsImport): string {
    const names = [...imp.names].sort((a, b) => {
      const x = a.name.toLowerCase(), y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1;
    }).map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name));
    const flat = `import { ${names.join(", ")} } from ${stringLiteral(imp.from)};`;
    if (flat.length <= this.#width) return flat;
    return `import {\n${names.map((n) => `  ${n},\n`).join("")}} from ${stringLiteral(imp.from)};`;
  }

  stmt(s: TsStmt, indent: number): string {
    const pad = " ".repeat(indent);
    const comments = "comments" in s && s.comments
      ? s.comments.map((c) => `${pad}${commentLine(c)}\n`).join("")
      : "";
    switch (s.k) {
      case "const": {
        const name = typeof s.name === "string" ? s.name : `[${s.name.join(", ")}]`;
        const head = `${pad}const ${name} = `;
        return comments + head + this.expr(s.value, indent, head.length, 1) + ";";
      }
      case "export": {
        const head = `${pad}export default `;
        return comments + head + this.expr(s.value, indent, head.length, 1) + ";";
      }
      case "expr":
        return comments + pad + this.expr(s.value, indent, indent, 1) + ";";
      case "return": {
        const head = `${pad}return `;
        return head + this.expr(s.value, indent, head.length, 1) + ";";
      }
      case "throw": {
        const head = `${pad}throw `;
        return head + this.expr(s.value, indent, head.length, 1) + ";";
      }
      case "if": {
        const head = `${pad}if (`;
        return `${head}${this.expr(s.test, indent, head.length, 3)}) ${this.block(s.then, indent)}`;
      }
      case "function": {
        const head = `${pad}function ${s.name}`;
        const ret = s.returnType ? `: ${s.returnType}` : "";
        const params = this.params(s.params, indent, head.length, 2 + ret.length);
        return `${comments}${head}${params}${ret} ${this.block(s.body, indent)}`;
      }
      case "comment":
        return s.lines.map((l) => pad + commentLine(l)).join("\n");
    }
  }

  block(b: TsBlock, indent: number): string {
    if (b.body.length === 0) return "{}";
    const inner = b.body.map((s) => this.stmt(s, indent + 2)).join("\n");
    return `{\n${inner}\n${" ".repeat(indent)}}`;
  }

  /** One-line form, or undefined when the expression cannot be on one line. */
  flat(e: TsExpr): string | undefined {
    switch (e.k) {
      case "id":
        return e.name;
      case "str":
        return stringLiteral(e.value);
      case "num":
        return e.text;
      case "bool":
        return String(e.value);
      case "undef":
        return "undefined";
      case "template": {
        let out = "`";
        for (const part of e.parts) {
          if (typeof part === "string") out += templateText(part);
          else {
            const inner = this.flat(part);
            if (inner === undefined) return undefined;
            out += "${" + inner + "}";
          }
        }
        return out.includes("\n") ? undefined : out + "`";
      }
      case "call":
      case "new": {
        const callee = this.flat(e.callee);
        const args = this.flatList(e.args);
        if (callee === undefined || args === undefined) return undefined;
        const typeArgs = e.k === "call" && e.typeArgs ? `<${e.typeArgs.join(", ")}>` : "";
        return `${e.k === "new" ? "new " : ""}${callee}${typeArgs}(${args})`;
      }
      case "member": {
        const obj = this.flat(e.obj);
        return obj === undefined ? undefined : `${obj}.${e.name}`;
      }
      case "index": {
        const obj = this.flat(e.obj), index = this.flat(e.index);
        return obj === undefined || index === undefined ? undefined : `${obj}[${index}]`;
      }
      case "array": {
        const items = this.flatList(e.items);
        return items === undefined ? undefined : `[${items}]`;
      }
      case "object": {
        if (e.props.length === 0) return "{}";
        const props: string[] = [];
        for (const p of e.props) {
          const v = this.flat(p.value);
          if (v === undefined) return undefined;
          props.push(this.propHead(p) === undefined ? propKey(p.key) : `${propKey(p.key)}: ${v}`);
        }
        return `{ ${props.join(", ")} }`;
      }
      case "arrow": {
        const params = this.flatParams(e.params);
        if (params === undefined) return undefined;
        if ("k" in e.body && e.body.k === "block") {
          return e.body.body.length === 0 ? `${params} => {}` : undefined;
        }
        const body = this.flat(e.body as TsExpr);
        if (body === undefined) return undefined;
        return `${params} => ${e.body.k === "object" ? `(${body})` : body}`;
      }
      case "cond": {
        const t = this.flat(e.test), a = this.flat(e.then), b = this.flat(e.else);
        if (t === undefined || a === undefined || b === undefined) return undefined;
        return `${t} ? ${a} : ${b}`;
      }
      case "bin": {
        const l = this.flatOperand(e.left, e.op, false), r = this.flatOperand(e.right, e.op, true);
        return l === undefined || r === undefined ? undefined : `${l} ${e.op} ${r}`;
      }
      case "not": {
        const inner = this.flat(e.expr);
        return inner === undefined ? undefined : `!${needsParens(e.expr) ? `(${inner})` : inner}`;
      }
      case "spread": {
        const inner = this.flat(e.expr);
        return inner === undefined ? undefined : `...${inner}`;
      }
      case "paren": {
        const inner = this.flat(e.expr);
        return inner === undefined ? undefined : `(${inner})`;
      }
    }
  }

  flatOperand(e: TsExpr, op: string, right: boolean): string | undefined {
    const s = this.flat(e);
    if (s === undefined) return undefined;
    if (e.k === "cond" || e.k === "arrow") return `(${s})`;
    if (e.k === "bin") {
      const inner = PRECEDENCE[e.op] ?? 0, outer = PRECEDENCE[op] ?? 0;
      if (inner < outer || (right && inner === outer)) return `(${s})`;
      if ((e.op === "??") !== (op === "??") && inner !== outer) return `(${s})`;
    }
    return s;
  }

  /** The shorthand test: a property `key: key` prints as `key`. */
  propHead(p: TsProp): string | undefined {
    return p.value.k === "id" && p.value.name === p.key ? undefined : propKey(p.key);
  }

  flatList(items: readonly TsExpr[]): string | undefined {
    const parts: string[] = [];
    for (const item of items) {
      const s = this.flat(item);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return parts.join(", ");
  }

  flatParams(params: readonly TsParam[]): string | undefined {
    const parts: string[] = [];
    for (const p of params) {
      const s = this.flatParam(p);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return `(${parts.join(", ")})`;
  }

  flatParam(p: TsParam): string | undefined {
    if (p.k === "name") {
      if (!p.default) return p.name;
      const d = this.flat(p.default);
      return d === undefined ? undefined : `${p.name} = ${d}`;
    }
    if (p.k === "arrayPat") return `[${p.names.join(", ")}]`;
    const props: string[] = [];
    for (const q of p.props) {
      const head = q.key === q.name ? q.key : `${propKey(q.key)}: ${q.name}`;
      if (!q.default) props.push(head);
      else {
        const d = this.flat(q.default);
        if (d === undefined) return undefined;
        props.push(`${head} = ${d}`);
      }
    }
    const obj = `{ ${props.join(", ")} }`;
    if (!p.default) return obj;
    const d = this.flat(p.default);
    return d === undefined ? undefined : `${obj} = ${d}`;
  }

  params(params: readonly TsParam[], indent: number, column: number, suffix: number): string {
    const flat = this.flatParams(params);
    if (flat !== undefined && column + flat.length + suffix <= this.#width) return flat;
    const pad = " ".repeat(indent + 2);
    const lines = params.map((p) => `${pad}${this.flatParam(p) ?? "?"},\n`).join("");
    return `(\n${lines}${" ".repeat(indent)})`;
  }

  /**
   * An expression starting at `column` on a line indented by `indent`, followed on its last
   * line by `suffix` characters.
   */
  expr(e: TsExpr, indent: number, column: number, suffix: number): string {
    const flat = this.flat(e);
    if (flat !== undefined && column + flat.length + suffix <= this.#width) return flat;
    return this.broken(e, indent, column, suffix);
  }

  broken(e: TsExpr, indent: number, column: number, suffix: number): string {
    const pad = " ".repeat(indent);
    const inner = " ".repeat(indent + 2);
    switch (e.k) {
      case "call":
      case "new": {
        const callee = (e.k === "new" ? "new " : "") +
          this.expr(e.callee, indent, column, 1) +
          (e.k === "call" && e.typeArgs ? `<${e.typeArgs.join(", ")}>` : "");
        if (e.args.length === 0) return `${callee}()`;
        const head = lastLine(callee);
        const start = head.length === callee.length ? column + head.length : head.length;
        const hug = this.hugged(e.args, indent, start, suffix);
        if (hug !== undefined) return `${callee}(${hug})`;
        const args = e.args.map((a) => `${inner}${this.expr(a, indent + 2, indent + 2, 1)},\n`);
        return `${callee}(\n${args.join("")}${pad})`;
      }
      case "array": {
        if (e.items.length === 0) return "[]";
        const items = e.items.map((a) => `${inner}${this.expr(a, indent + 2, indent + 2, 1)},\n`);
        return `[\n${items.join("")}${pad}]`;
      }
      case "object": {
        if (e.props.length === 0) return "{}";
        const props = e.props.map((p) => {
          const head = this.propHead(p);
          if (head === undefined) return `${inner}${p.key},\n`;
          const prefix = `${head}: `;
          const value = this.propValue(p.value, indent + 2, indent + 2 + prefix.length);
          return `${inner}${prefix}${value},\n`;
        });
        return `{\n${props.join("")}${pad}}`;
      }
      case "arrow": {
        const params = this.params(e.params, indent, column, 4);
        if ("k" in e.body && e.body.k === "block") {
          return `${params} => ${this.block(e.body as TsBlock, indent)}`;
        }
        const body = e.body as TsExpr;
        const head = `${params} => `;
        const flatBody = this.flat(body);
        if (
          flatBody !== undefined && column + head.length + flatBody.length + suffix <= this.#width
        ) return head + flatBody;
        if (isHuggable(body)) {
          return head + this.broken(body, indent, column + head.length, suffix);
        }
        return `${params} =>\n${inner}${this.expr(body, indent + 2, indent + 2, suffix)}`;
      }
      case "cond": {
        const test = this.expr(e.test, indent, column, 0);
        const a = this.expr(e.then, indent + 2, indent + 4, 0);
        const b = this.expr(e.else, indent + 2, indent + 4, suffix);
        return `${test}\n${inner}? ${a}\n${inner}: ${b}`;
      }
      case "template": {
        let out = "`";
        for (const part of e.parts) {
          if (typeof part === "string") out += templateText(part);
          else out += "${" + (this.flat(part) ?? this.expr(part, indent, column, 0)) + "}";
        }
        return out + "`";
      }
      case "member":
        return `${this.expr(e.obj, indent, column, e.name.length + 1)}.${e.name}`;
      case "spread":
        return `...${this.expr(e.expr, indent, column + 3, suffix)}`;
      case "paren":
        return `(${this.expr(e.expr, indent, column + 1, suffix + 1)})`;
      case "bin": {
        const l = this.expr(e.left, indent, column, 0);
        const r = this.expr(e.right, indent + 2, indent + 2 + e.op.length + 1, suffix);
        return `${l}\n${inner}${e.op} ${r}`;
      }
      default:
        return this.flat(e) ?? "";
    }
  }

  /** A property value: a multi-line template or a broken arrow body goes on the next line. */
  propValue(v: TsExpr, indent: number, column: number): string {
    if (v.k === "template" && this.flat(v) === undefined) {
      return this.broken(v, indent, column, 1);
    }
    return this.expr(v, indent, column, 1);
  }

  /**
   * The arguments with the last one (an object, array or function) broken but kept on the
   * call's line, or undefined when that layout does not apply.
   */
  hugged(
    args: readonly TsExpr[],
    indent: number,
    column: number,
    suffix: number,
  ): string | undefined {
    const last = args[args.length - 1];
    if (!isHuggable(last)) return undefined;
    const others = this.flatList(args.slice(0, -1));
    if (others === undefined) return undefined;
    const prefix = others === "" ? "" : `${others}, `;
    const open = last.k === "arrow"
      ? this.flatParams(last.params) + " => {"
      : last.k === "array"
      ? "["
      : "{";
    if (column + 1 + prefix.length + open.length > this.#width) return undefined;
    const body = this.broken(last, indent, column + 1 + prefix.length, suffix + 1);
    return prefix + body;
  }
}

function isHuggable(e: TsExpr): boolean {
  if (e.k === "object") return e.props.length > 0;
  if (e.k === "array") return e.items.length > 0;
  return e.k === "arrow" && "k" in e.body && e.body.k === "block" && e.body.body.length > 0;
}

function needsParens(e: TsExpr): boolean {
  return e.k === "bin" || e.k === "cond" || e.k === "arrow";
}

function propKey(key: string): string {
  return IDENT.test(key) ? key : stringLiteral(key);
}

function lastLine(s: string): string {
  const nl = s.lastIndexOf("\n");
  return nl < 0 ? s : s.slice(nl + 1);
}
