/**
 * What the "Supported runtime features" page says of functions, as the type-aware rules of
 * @aws-appsync/eslint-plugin@2.0.2 approximate it:
 * - "Recursive function calls are not supported." (`no-recursion`)
 * - "Passing a function as an argument is not supported." (`no-function-passing`)
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 * Functions are told apart as the plugin's `getValueType` does (program.ts, functionNamedBy),
 * through eslint-scope's resolution instead of TypeScript's symbols.
 */
import type { AnyNode, Node } from 'acorn';
import {
  chainBase,
  type Finding,
  type FunctionNode,
  isFunctionNode,
  type ProgramFacts,
  staticPropertyName,
} from './program';

/** A place where one function calls (or hands over, to be called) another. */
interface CallSite {
  readonly node: Node;
  readonly from: FunctionNode | null;
  readonly to: FunctionNode;
}

/** The function whose body `node` is in, or null at the top level. */
function ownerOf(facts: ProgramFacts, node: Node): FunctionNode | null {
  for (let parent = facts.parentOf(node); parent; parent = facts.parentOf(parent)) {
    if (isFunctionNode(parent)) return parent;
  }
  return null;
}

/** The name the plugin prints for a function in a cycle. */
function functionName(facts: ProgramFacts, fn: FunctionNode): string {
  const parent = facts.parentOf(fn);
  const bound = parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : undefined;
  if (fn.type === 'ArrowFunctionExpression') return bound ?? 'Anonymous Arrow Function';
  return bound ?? fn.id?.name ?? 'Anonymous Function';
}

/**
 * The call graph of the code's functions. Besides the plugin's edges (a call whose callee names
 * a function), a function passed as an argument is an edge from the function passing it, since
 * the callee (an Array method, a function of the code) will call it: `xs.map((x) => walk(x))` and `xs.map(walk)` inside `walk` are
 * recursion the plugin misses and the page forbids.
 */
class CallGraph {
  readonly sites: CallSite[] = [];
  private readonly edges = new Map<FunctionNode | null, FunctionNode[]>();
  private reaching?: Set<FunctionNode>;

  constructor(private readonly facts: ProgramFacts) {
    for (const node of facts.nodes) {
      if (node.type === 'CallExpression') {
        const from = ownerOf(facts, node);
        this.calls(from, node.callee, node);
        // AppSync's API and imports take no callbacks: what they are handed is never called back.
        if (facts.isAppSyncRoot(chainBase(node.callee))) continue;
        for (const argument of node.arguments) this.calls(from, argument, argument);
      } else if (node.type === 'TaggedTemplateExpression') {
        this.calls(ownerOf(facts, node), node.tag, node);
      }
    }
  }

  /**
   * Records that `from` calls `fn` (a callee, or a function it hands over), reported at `site`
   * when `fn` names a function: a function literal is called where it stands.
   */
  private calls(from: FunctionNode | null, fn: Node, site: Node): void {
    if (isFunctionNode(fn)) {
      this.edge(from, fn);
      return;
    }
    const to = this.facts.functionNamedBy(fn);
    if (to) {
      this.edge(from, to);
      this.sites.push({ node: site, from, to });
    }
  }

  private edge(from: FunctionNode | null, to: FunctionNode): void {
    const list = this.edges.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    this.edges.set(from, list);
  }

  private successors(fn: FunctionNode | null): readonly FunctionNode[] {
    return this.edges.get(fn) ?? [];
  }

  /** True when a cycle can be reached from `fn` (Tarjan's strongly connected components). */
  reachesCycle(fn: FunctionNode): boolean {
    if (!this.reaching) this.reaching = this.findReaching();
    return this.reaching.has(fn);
  }

  private findReaching(): Set<FunctionNode> {
    const reaching = new Set<FunctionNode>();
    const index = new Map<FunctionNode, number>();
    const low = new Map<FunctionNode, number>();
    const stack: FunctionNode[] = [];
    const onStack = new Set<FunctionNode>();
    const connect = (fn: FunctionNode) => {
      index.set(fn, index.size);
      low.set(fn, index.get(fn) as number);
      stack.push(fn);
      onStack.add(fn);
      for (const next of this.successors(fn)) {
        if (!index.has(next)) {
          connect(next);
          low.set(fn, Math.min(low.get(fn) as number, low.get(next) as number));
        } else if (onStack.has(next)) {
          low.set(fn, Math.min(low.get(fn) as number, index.get(next) as number));
        }
      }
      if (low.get(fn) !== index.get(fn)) return;
      const component: FunctionNode[] = [];
      let member: FunctionNode | undefined;
      do {
        member = stack.pop() as FunctionNode;
        onStack.delete(member);
        component.push(member);
      } while (member !== fn);
      // Components come out after every component they reach, so those are already decided.
      const cyclic = component.length > 1 || this.successors(fn).includes(fn);
      const reaches = cyclic || component.some((m) => this.successors(m).some((next) => reaching.has(next)));
      if (reaches) for (const m of component) reaching.add(m);
    };
    for (const fn of this.edges.keys()) if (fn && !index.has(fn)) connect(fn);
    return reaching;
  }

  /** The cycle the plugin's walk from `site` finds, as it prints it: `a <-b <-a`. */
  cyclePath(site: CallSite): string {
    const path: (FunctionNode | null)[] = [site.from];
    let current: FunctionNode = site.to;
    while (!path.includes(current)) {
      path.push(current);
      current = this.successors(current).find((next) => path.includes(next) || this.reachesCycle(next)) as FunctionNode;
    }
    return [...path.slice(path.indexOf(current)), current]
      .map((fn) => functionName(this.facts, fn as FunctionNode))
      .join(' <-');
  }
}

/** Every call site from which a cycle of calls can be reached, as the plugin reports them. */
export function recursionFindings(facts: ProgramFacts): Finding[] {
  const graph = new CallGraph(facts);
  return graph.sites
    .filter((site) => graph.reachesCycle(site.to))
    .map((site) => ({
      node: site.node,
      rule: 'no-recursion',
      message: `Recursive function calls not supported. Detected cycle in ${graph.cyclePath(site)}`,
    }));
}

/** The plugin's ALLOWED_METHODS: Array methods that may take a callback (`'Array.sort'` is commented out there). */
export const CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'map',
  'find',
  'filter',
  'findIndex',
  'findLast',
  'findLastIndex',
  'forEach',
  'reduce',
  'reduceRight',
  'every',
  'some',
  'flatMap',
]);

/**
 * A call handing over a function (a function literal, or a name of one) is refused when its
 * callee is a function of the code, or a method other than the Array methods the plugin allows.
 * The plugin reads the method's declaring interface from TypeScript; without types, any method
 * named like an allowed Array method is taken for one, and any other method name is refused.
 * Imports, AppSync's globals (`util.transform.toSubscriptionFilter(…)`) and unknown callees
 * are left alone, as the plugin leaves them.
 */
export function functionPassingFindings(facts: ProgramFacts): Finding[] {
  const found: Finding[] = [];
  for (const node of facts.nodes) {
    if (node.type !== 'CallExpression') continue;
    if (!node.arguments.some((argument) => isFunctionNode(argument) || facts.functionNamedBy(argument))) continue;
    if (isRefusedCallee(facts, node.callee as AnyNode)) {
      found.push({ node, rule: 'no-function-passing', message: 'Functions can not be passed as an argument' });
    }
  }
  return found;
}

function isRefusedCallee(facts: ProgramFacts, callee: AnyNode): boolean {
  if (callee.type === 'Identifier') return facts.functionNamedBy(callee) !== undefined;
  if (callee.type !== 'MemberExpression' || facts.isAppSyncRoot(chainBase(callee))) return false;
  const method = staticPropertyName(callee);
  return method !== undefined && !CALLBACK_METHODS.has(method);
}
