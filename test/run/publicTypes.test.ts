/**
 * Every type the package root's functions take or return is exported from it too (issue 11: the
 * root exported `fit` but not `FitPlan`, …): a user can name what they pass. Checked with the
 * TypeScript compiler on src/index.ts: the named types (interfaces, type aliases) of our sources
 * met in any exported function's parameters or result, through unions, arrays, promises and type
 * arguments, one level into object members.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Names of our own named types reachable from the exported functions' signatures, minus the exported ones. */
const missingTypes = (entry: string): string[] => {
  const program = ts.createProgram([entry], { allowImportingTsExtensions: true, noEmit: true, strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const mod = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const exported = new Set<ts.Symbol>();
  const exportedNames = new Set<string>();
  for (const s of checker.getExportsOfModule(mod)) {
    exportedNames.add(s.name);
    exported.add(s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  }
  const ours = (s: ts.Symbol): boolean =>
    (s.declarations ?? []).some((d) => {
      const f = d.getSourceFile().fileName;
      return f.startsWith(root) && !f.includes('node_modules') &&
        (ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d));
    });
  const missing = new Set<string>();
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type, depth: number, where: string): void => {
    if (seen.has(t) || depth > 2) return;
    seen.add(t);
    const named = t.aliasSymbol ?? t.getSymbol();
    if (named && ours(named) && !exported.has(named)) missing.add(`${named.name} (in ${where})`);
    for (const a of [...(t.aliasTypeArguments ?? []), ...(checker.getTypeArguments(t as ts.TypeReference) ?? [])]) visit(a, depth, where);
    if (t.isUnionOrIntersection()) for (const u of t.types) visit(u, depth, where);
    for (const sig of t.getCallSignatures()) {
      for (const p of sig.getParameters()) visit(checker.getTypeOfSymbol(p), depth + 1, where);
      visit(sig.getReturnType(), depth + 1, where);
    }
    if (depth < 2 && named && ours(named)) {
      for (const p of t.getProperties()) visit(checker.getTypeOfSymbol(p), depth + 1, where);
    }
  };
  for (const s of checker.getExportsOfModule(mod)) {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    if (!(target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) continue;
    const type = checker.getTypeOfSymbol(target);
    if (type.getCallSignatures().length > 0) visit(type, 0, s.name);
  }
  return [...missing].filter((m) => !exportedNames.has(m.split(' ')[0])).sort();
};

describe('the package root', () => {
  it('exports every named type its functions take or return', () => {
    expect(missingTypes(join(root, 'src', 'index.ts'))).toEqual([]);
  }, 60_000);

  it('the check is not vacuous: a function taking an unexported interface is reported', () => {
    expect(missingTypes(join(root, 'test', 'run', 'fixtures', 'hiddenType.ts'))).toEqual(['Hidden (in takesHidden)']);
  }, 60_000);
});
