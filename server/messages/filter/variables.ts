/**
 * The names a filter can use, with their static types ('dyn': depends on the record, e.g. parsed JSON).
 * `record` mirrors Kafbat's filter variable so its examples work here unchanged.
 */
export const VARIABLES = {
  key: 'dyn',
  value: 'dyn',
  keyText: 'string',
  valueText: 'string',
  headers: 'map',
  partition: 'int',
  offset: 'int',
  timestamp: 'int',
  record: 'map',
} as const;

export type VariableName = keyof typeof VARIABLES;

export const RECORD_FIELDS = {
  partition: 'int',
  offset: 'int',
  timestampMs: 'int',
  key: 'dyn',
  value: 'dyn',
  keyAsText: 'string',
  valueAsText: 'string',
  headers: 'map',
} as const;

export type RecordField = keyof typeof RECORD_FIELDS;

/** Type names CEL resolves as identifiers, as in `type(value.id) == string`. */
export const TYPE_NAMES: ReadonlySet<string> = new Set([
  'int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type',
]);

export function isVariable(name: string): name is VariableName {
  return Object.hasOwn(VARIABLES, name);
}

export function isRecordField(name: string): name is RecordField {
  return Object.hasOwn(RECORD_FIELDS, name);
}
