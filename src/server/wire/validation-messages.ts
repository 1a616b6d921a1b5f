/**
 * Validation errors worded as AppSync words them. AppSync validates with graphql-java 9, and its
 * answers carry graphql-java's text: `Validation error of type <Kind>: <description> @ '<path>'`,
 * the path being the names (not aliases) of the fields, and of the fragment definition, around
 * the offending node, left out when there is none (graphql-java 9.5 `ValidationError`,
 * `TraversalContext`). Which documents are invalid stays graphql-js's decision: this only words
 * the errors graphql-js found, one pass with every rule, in graphql-java's order (the document
 * position graphql-java reports at, then its rule order).
 *
 * Worded as graphql-java, each kind as AppSync answered it (pasted answers):
 * - FieldUndefined `Field 'badfield' in type 'Query' is undefined @ 'badfield'`
 *   (graphql/graphql-over-http#81, the AppSync team's own list);
 * - MissingFieldArgument `Missing field argument owner @ 'onCreateTodo'` (aws-amplify/amplify-swift#854);
 * - UnknownArgument `Unknown field argument authors @ 'onCreateTask'` (aws-amplify/amplify-flutter#3388);
 * - SubSelectionRequired `Sub selection required for type Reminder of field reminder @ 'syncTasks/items/reminder'`
 *   (aws-amplify/amplify-android#702); graphql-java 9.5 prints a wrapped type (`Score!`, `[Score]`) as `null`
 *   (`GraphQLNonNull.getName()`), as AppSync answers also show;
 * - SubSelectionNotAllowed `Sub selection not allowed on leaf type String of field sendSignatureRequest @ 'sendSignatureRequest'`
 *   (aws-amplify/amplify-cli#1296);
 * - UnknownType `Unknown type AWSTimestamp`, no path, before a later FieldUndefined (aws-amplify/learn#417);
 * - VariableTypeMismatch `Variable type 'String!' doesn't match expected type 'ID!' @ 'getCard'`
 *   (apollographql/graphql-tag#652), at the variable's use;
 * - WrongType `argument 'input' with value 'ObjectValue{…}' is missing required fields '[test]' @ 'createUpdateTest'`
 *   (aws-appsync-community#273) and `… with value 'ObjectValue{…IntValue{value=10}…}' is not a valid 'AWSJSON' @ 'sendEmail'`
 *   (aws-mobile-appsync-sdk-js#554): one per argument, its first problem (graphql-java 9.5 `ArgumentValidationUtil`).
 *
 * No AppSync answer is known for these, so they keep graphql-js's message behind graphql-java's
 * kind: UndefinedVariable, UnusedVariable, UnknownDirective (also an unknown directive
 * argument), MisplacedDirective, MissingDirectiveArgument, UndefinedFragment, UnusedFragment,
 * FragmentCycle, FieldsConflict, InvalidFragmentType, NonInputTypeOnVariable,
 * LoneAnonymousOperationViolation, DuplicateOperationName, NonExecutableDefinition, a bad variable
 * default value, and the graphql-js rules graphql-java 9 does not have (duplicate argument,
 * variable, fragment and input field names, repeated directives: AppSync may accept those
 * documents; refusing them offline is the conservative side).
 */
import {
  type ArgumentNode,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  GraphQLNonNull,
  type GraphQLOutputType,
  type GraphQLSchema,
  getLocation,
  getNamedType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNamedType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { javaHashSetToString, javaLiteral } from './java-text';

/** graphql-java's ValidationErrorType for each graphql-js rule. */
const VALIDATION_TYPES: Record<string, string> = {
  ExecutableDefinitionsRule: 'NonExecutableDefinition',
  FieldsOnCorrectTypeRule: 'FieldUndefined',
  KnownArgumentNamesRule: 'UnknownArgument',
  ProvidedRequiredArgumentsRule: 'MissingFieldArgument',
  ScalarLeafsRule: 'SubSelectionRequired',
  KnownTypeNamesRule: 'UnknownType',
  NoUndefinedVariablesRule: 'UndefinedVariable',
  NoUnusedVariablesRule: 'UnusedVariable',
  VariablesInAllowedPositionRule: 'VariableTypeMismatch',
  ValuesOfCorrectTypeRule: 'WrongType',
  KnownDirectivesRule: 'UnknownDirective',
  UniqueArgumentNamesRule: 'DuplicateArgumentNames',
  LoneAnonymousOperationRule: 'LoneAnonymousOperationViolation',
  UniqueOperationNamesRule: 'DuplicateOperationName',
  NoUnusedFragmentsRule: 'UnusedFragment',
  KnownFragmentNamesRule: 'UndefinedFragment',
  NoFragmentCyclesRule: 'FragmentCycle',
  OverlappingFieldsCanBeMergedRule: 'FieldsConflict',
  VariablesAreInputTypesRule: 'NonInputTypeOnVariable',
  PossibleFragmentSpreadsRule: 'InvalidFragmentType',
};

/** graphql-java 9.5's rule order (`Validator.createRules`), for errors at the same node. */
const GRAPHQL_JAVA_RULE_ORDER = [
  'ExecutableDefinitionsRule',
  'ValuesOfCorrectTypeRule',
  'FieldsOnCorrectTypeRule',
  'FragmentsOnCompositeTypesRule',
  'KnownArgumentNamesRule',
  'KnownDirectivesRule',
  'KnownFragmentNamesRule',
  'KnownTypeNamesRule',
  'NoFragmentCyclesRule',
  'NoUndefinedVariablesRule',
  'NoUnusedFragmentsRule',
  'NoUnusedVariablesRule',
  'OverlappingFieldsCanBeMergedRule',
  'PossibleFragmentSpreadsRule',
  'ProvidedRequiredArgumentsRule',
  'ScalarLeafsRule',
  'VariablesAreInputTypesRule',
  'VariablesInAllowedPositionRule',
  'LoneAnonymousOperationRule',
  'UniqueOperationNamesRule',
];

/** One entry of AppSync's `errors` for an invalid document: HTTP 200, data null, no errorType. */
export interface AppSyncValidationEntry {
  path: null;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

/** A stage's own rule (src/server/query-limits.ts): its message is already graphql-java's, path included. */
export interface ExtraRule {
  readonly rule: ValidationRule;
  readonly validationType: string;
}

interface TaggedRule {
  /** The graphql-js rule's name, or `extra` for a stage's rule. */
  readonly id: string;
  readonly validationType: string;
}

/** What graphql-java knew at a node of the document when it reported there. */
interface NodeFacts {
  readonly path: readonly string[] | null;
  parentType?: GraphQLCompositeType | null;
  type?: GraphQLOutputType | GraphQLInputType | null;
  fieldDef?: GraphQLField<unknown, unknown> | null;
  /** The argument a value node belongs to. */
  argument?: ArgumentNode;
  /** For an argument: whether it is a directive's (graphql-java words those differently). */
  ofDirective?: boolean;
  /** For a variable definition: where its operation ends (graphql-java reports unused ones there). */
  operationEnd?: number;
  /** For a field's selection set: the field (graphql-js reports a leaf's selection, graphql-java the field). */
  field?: FieldNode;
}

/** An entry, and where in graphql-java's walk of the document it is reported. */
interface Reported {
  readonly entry: AppSyncValidationEntry;
  readonly order: number;
}

/** Errors tagged with the rule that found them. */
const ruleOfError = new WeakMap<GraphQLError, TaggedRule>();

/** The rule, reporting each error it finds tagged with `tag`. */
function tagged(rule: ValidationRule, tag: TaggedRule): ValidationRule {
  return (context: ValidationContext) => {
    const reporting = Object.create(context, {
      reportError: {
        value: (error: GraphQLError) => {
          ruleOfError.set(error, tag);
          context.reportError(error);
        },
      },
    }) as ValidationContext;
    return rule(reporting);
  };
}

const start = (node: ASTNode) => node.loc?.start ?? 0;

/** graphql-js's own printing of a type is graphql-java's `getUnwrappedTypeName` (`[ID!]!`). */
const printType = (type: GraphQLInputType) => String(type);

/**
 * `argument '<name>' with value '<literal>' <problem>`, as graphql-java 9.5's ArgumentValidationUtil
 * words an argument's first problem; undefined when the literal is acceptable. Which leaf
 * literals are acceptable is graphql-js's (the type's own parseLiteral).
 */
export function wrongTypeDescription(argument: ArgumentNode, argumentType: GraphQLInputType): string | undefined {
  const names: string[] = [];
  let shown: ValueNode = argument.value;
  let problem = '';
  const accepts = (value: ValueNode, type: GraphQLInputType): boolean => {
    if (value.kind === Kind.NULL) {
      if (!isNonNullType(type)) return true;
      problem = 'must not be null';
      shown = value;
      return false;
    }
    if (value.kind === Kind.VARIABLE) return true;
    if (isNonNullType(type)) return accepts(value, type.ofType);
    if (isLeafType(type)) {
      let parsed: unknown;
      try {
        parsed = type.parseLiteral(value, undefined);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) return true;
      problem = `is not a valid '${type.name}'`;
      shown = value;
      return false;
    }
    if (isListType(type)) {
      if (value.kind !== Kind.LIST) return accepts(value, type.ofType);
      for (const [index, item] of value.values.entries()) {
        if (!accepts(item, type.ofType)) {
          names.unshift(`[${index}]`);
          return false;
        }
      }
      return true;
    }
    if (!isInputObjectType(type)) return true;
    if (value.kind !== Kind.OBJECT) {
      problem = 'must be an object type';
      return false;
    }
    const fields = type.getFields();
    const given = new Set(value.fields.map((field) => field.name.value));
    // graphql-java 9 counts every non-null field as required, default value or not.
    const missing = Object.values(fields)
      .filter((field) => isNonNullType(field.type) && !given.has(field.name))
      .map((field) => field.name);
    if (missing.length > 0) {
      problem = `is missing required fields '${javaHashSetToString(missing)}'`;
      return false;
    }
    for (const field of value.fields) {
      const definition = fields[field.name.value];
      if (!definition) {
        problem = `contains a field not in '${type.name}': '${field.name.value}'`;
        return false;
      }
      if (!accepts(field.value, definition.type)) {
        names.unshift(field.name.value);
        return false;
      }
    }
    return true;
  };
  if (accepts(argument.value, argumentType)) return undefined;
  const name = names.reduce(
    (text, part) => (part.startsWith('[') ? text + part : `${text}.${part}`),
    argument.name.value,
  );
  return `argument '${name}' with value '${javaLiteral(shown)}' ${problem}`;
}

/** Validates documents with the rules given and words the errors as AppSync answers them. */
export class AppSyncValidation {
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    specified: readonly ValidationRule[],
    extra: readonly ExtraRule[] = [],
  ) {
    this.rules = [
      ...specified.map((rule) =>
        tagged(rule, { id: rule.name, validationType: VALIDATION_TYPES[rule.name] ?? 'InvalidSyntax' }),
      ),
      ...extra.map(({ rule, validationType }) => tagged(rule, { id: 'extra', validationType })),
    ];
  }

  /** graphql-js's errors for `document` (none when it is valid). */
  validate(document: DocumentNode): readonly GraphQLError[] {
    return validate(this.schema, document, this.rules);
  }

  /** AppSync's entries for the errors `validate` found in `document`. */
  entries(document: DocumentNode, errors: readonly GraphQLError[]): AppSyncValidationEntry[] {
    const facts = this.factsOf(document);
    const reported: { entry: AppSyncValidationEntry; order: number; rank: number; index: number }[] = [];
    const argumentsDone = new Set<ArgumentNode>();
    const missingSeen = new Map<ASTNode, number>();
    for (const error of errors) {
      const tag = ruleOfError.get(error) ?? { id: '', validationType: 'InvalidSyntax' };
      const worded = this.word(error, tag, facts, argumentsDone, missingSeen);
      if (worded === null) continue;
      const rank = GRAPHQL_JAVA_RULE_ORDER.indexOf(tag.id === 'extra' ? 'FieldsOnCorrectTypeRule' : tag.id);
      reported.push({ ...worded, rank: rank === -1 ? GRAPHQL_JAVA_RULE_ORDER.length : rank, index: reported.length });
    }
    reported.sort((a, b) => a.order - b.order || a.rank - b.rank || a.index - b.index);
    return reported.map(({ entry }) => entry);
  }

  /**
   * graphql-java's wording of one error, or graphql-js's message behind graphql-java's kind where
   * no AppSync answer is known; null for a second error on an argument graphql-java reports once.
   */
  private word(
    error: GraphQLError,
    tag: TaggedRule,
    facts: Map<ASTNode, NodeFacts>,
    argumentsDone: Set<ArgumentNode>,
    missingSeen: Map<ASTNode, number>,
  ): Reported | null {
    const node = error.nodes?.[0];
    const fact = node ? facts.get(node) : undefined;
    /** graphql-java's entry: its kind and description, at the node it reports (location and path). */
    const worded = (validationType: string, description: string, at: ASTNode): Reported => {
      const path = facts.get(at)?.path;
      const location = at.loc ? getLocation(at.loc.source, at.loc.start) : undefined;
      return {
        order: start(at),
        entry: {
          path: null,
          locations: location ? [{ line: location.line, column: location.column, sourceName: null }] : null,
          message: `Validation error of type ${validationType}: ${description}${path ? ` @ '${path.join('/')}'` : ''}`,
        },
      };
    };
    if (node && fact) {
      switch (tag.id) {
        case 'FieldsOnCorrectTypeRule':
          if (node.kind === Kind.FIELD && fact.parentType) {
            return worded(
              'FieldUndefined',
              `Field '${node.name.value}' in type '${fact.parentType.name}' is undefined`,
              node,
            );
          }
          break;
        case 'KnownArgumentNamesRule':
          if (node.kind === Kind.ARGUMENT && !fact.ofDirective) {
            return worded('UnknownArgument', `Unknown field argument ${node.name.value}`, node);
          }
          break;
        case 'ProvidedRequiredArgumentsRule':
          if (node.kind === Kind.FIELD && fact.fieldDef) {
            const given = new Set(node.arguments?.map((argument) => argument.name.value));
            const missing = fact.fieldDef.args.filter(
              (argument) =>
                isNonNullType(argument.type) && argument.defaultValue === undefined && !given.has(argument.name),
            );
            const index = missingSeen.get(node) ?? 0;
            missingSeen.set(node, index + 1);
            if (missing[index]) {
              return worded('MissingFieldArgument', `Missing field argument ${missing[index].name}`, node);
            }
          }
          break;
        case 'ScalarLeafsRule': {
          const field = node.kind === Kind.SELECTION_SET ? fact.field : node;
          const type = field ? facts.get(field)?.type : undefined;
          if (field?.kind === Kind.FIELD && type) {
            const shown = isNamedType(type) ? type.name : 'null';
            return isLeafType(getNamedType(type))
              ? worded(
                  'SubSelectionNotAllowed',
                  `Sub selection not allowed on leaf type ${shown} of field ${field.name.value}`,
                  field,
                )
              : worded(
                  'SubSelectionRequired',
                  `Sub selection required for type ${shown} of field ${field.name.value}`,
                  field,
                );
          }
          break;
        }
        case 'KnownTypeNamesRule':
          if (node.kind === Kind.NAMED_TYPE) return worded('UnknownType', `Unknown type ${node.name.value}`, node);
          break;
        case 'VariablesInAllowedPositionRule': {
          const usage = error.nodes?.[1];
          const expected = usage ? facts.get(usage)?.type : undefined;
          if (node.kind === Kind.VARIABLE_DEFINITION && usage && expected) {
            const declared = typeFromAST(this.schema, (node as VariableDefinitionNode).type) as
              | GraphQLInputType
              | undefined;
            if (declared) {
              // graphql-java 9.5 VariablesTypesMatcher: a default value makes a nullable variable non-null.
              const effective = node.defaultValue && !isNonNullType(declared) ? new GraphQLNonNull(declared) : declared;
              return worded(
                'VariableTypeMismatch',
                `Variable type '${printType(effective)}' doesn't match expected type '${printType(expected as GraphQLInputType)}'`,
                usage,
              );
            }
          }
          break;
        }
        case 'ValuesOfCorrectTypeRule': {
          const argument = fact.argument;
          const argumentType = argument ? facts.get(argument)?.type : undefined;
          if (argument && argumentType) {
            if (argumentsDone.has(argument)) return null;
            const description = wrongTypeDescription(argument, argumentType as GraphQLInputType);
            if (description !== undefined) {
              argumentsDone.add(argument);
              return worded('WrongType', description, argument);
            }
          }
          break;
        }
        case 'NoUnusedVariablesRule':
          // graphql-java reports unused variables once it leaves the operation.
          return { entry: this.asIs(error, tag), order: fact.operationEnd ?? start(node) };
      }
    }
    return { entry: this.asIs(error, tag), order: node ? start(node) : 0 };
  }

  /** graphql-js's message behind graphql-java's kind, with graphql-js's locations. */
  private asIs(error: GraphQLError, tag: TaggedRule): AppSyncValidationEntry {
    const validationType =
      tag.id === 'FragmentsOnCompositeTypesRule'
        ? error.nodes?.[0]?.kind === Kind.INLINE_FRAGMENT
          ? 'InlineFragmentTypeConditionInvalid'
          : 'FragmentTypeConditionInvalid'
        : tag.validationType;
    return {
      path: null,
      locations: error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null,
      message: `Validation error of type ${validationType}: ${error.message}`,
    };
  }

  /** One walk of an invalid document: graphql-java's query path and the types at each node. */
  private factsOf(document: DocumentNode): Map<ASTNode, NodeFacts> {
    const typeInfo = new TypeInfo(this.schema);
    const facts = new Map<ASTNode, NodeFacts>();
    const path: string[] = [];
    let argument: ArgumentNode | undefined;
    let directives = 0;
    let operationEnd: number | undefined;
    const selectionOwners = new Map<ASTNode, FieldNode>();
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        enter(node) {
          if (node.kind === Kind.FIELD || node.kind === Kind.FRAGMENT_DEFINITION) path.push(node.name.value);
          const fact: NodeFacts = { path: path.length > 0 ? [...path] : null };
          switch (node.kind) {
            case Kind.OPERATION_DEFINITION:
              operationEnd = node.loc?.end;
              break;
            case Kind.VARIABLE_DEFINITION:
              fact.operationEnd = operationEnd;
              break;
            case Kind.FIELD:
              fact.parentType = typeInfo.getParentType();
              fact.type = typeInfo.getType();
              fact.fieldDef = typeInfo.getFieldDef();
              if (node.selectionSet) selectionOwners.set(node.selectionSet, node);
              break;
            case Kind.SELECTION_SET:
              fact.field = selectionOwners.get(node);
              break;
            case Kind.DIRECTIVE:
              directives += 1;
              break;
            case Kind.ARGUMENT:
              argument = node;
              fact.ofDirective = directives > 0;
              fact.type = typeInfo.getInputType();
              break;
            case Kind.VARIABLE:
              fact.type = typeInfo.getInputType();
              break;
          }
          if (argument) fact.argument = argument;
          facts.set(node, fact);
        },
        leave(node) {
          if (node.kind === Kind.FIELD || node.kind === Kind.FRAGMENT_DEFINITION) path.pop();
          if (node.kind === Kind.ARGUMENT) argument = undefined;
          if (node.kind === Kind.DIRECTIVE) directives -= 1;
        },
      }),
    );
    return facts;
  }
}
