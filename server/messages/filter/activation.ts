import { childrenOf, type Expr } from './ast';
import { jsonForCel } from './json';
import type { FilterRecord } from './record';
import { isRecordField, RECORD_FIELDS, type RecordField, type VariableName } from './variables';

/**
 * The CEL variables of one record. The library reads a variable with `bindings[name]` only when the expression
 * uses it, so each is a getter and the costly ones (decoding, JSON parsing) run at most once, and only for
 * filters that need them: `keyText.startsWith("eu-")` never parses the value.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });

const NOT_YET = Symbol('not computed yet');

const ALL_RECORD_FIELDS: ReadonlySet<RecordField> = new Set(Object.keys(RECORD_FIELDS) as RecordField[]);

/** The fields of `record` that `expr` reads: all of them when it uses `record` other than as `record.field`. */
export function recordFieldsUsed(expr: Expr): ReadonlySet<RecordField> {
  const used = new Set<RecordField>();
  const pending = [expr];
  for (let e = pending.pop(); e; e = pending.pop()) {
    const kind = e.exprKind;
    if (kind.case === 'identExpr' && kind.value.name === 'record') return ALL_RECORD_FIELDS;
    const operand = kind.case === 'selectExpr' ? kind.value.operand : undefined;
    if (kind.case === 'selectExpr' && operand?.exprKind.case === 'identExpr' && operand.exprKind.value.name === 'record') {
      if (isRecordField(kind.value.field)) used.add(kind.value.field);
    } else {
      pending.push(...childrenOf(e));
    }
  }
  return used;
}

export class RecordActivation implements Record<VariableName, unknown> {
  #keyText: string | typeof NOT_YET = NOT_YET;
  #valueText: string | typeof NOT_YET = NOT_YET;
  #key: unknown = NOT_YET;
  #value: unknown = NOT_YET;
  #headers: Map<string, string> | typeof NOT_YET = NOT_YET;
  #record: Map<string, unknown> | typeof NOT_YET = NOT_YET;

  /** `recordFields`: the fields of `record` the expression reads (all of them when it uses `record` as a whole). */
  constructor(
    private readonly source: FilterRecord,
    private readonly recordFields: ReadonlySet<RecordField>,
  ) {}

  get partition(): bigint {
    return BigInt(this.source.partition);
  }

  get offset(): bigint {
    return BigInt(this.source.offset);
  }

  get timestamp(): bigint {
    return BigInt(this.source.timestamp);
  }

  /** The key as UTF-8 text (invalid bytes replaced); "" for a null key, so text functions never fail on it. */
  get keyText(): string {
    if (this.#keyText === NOT_YET) this.#keyText = textOf(this.source.key);
    return this.#keyText;
  }

  get valueText(): string {
    if (this.#valueText === NOT_YET) this.#valueText = textOf(this.source.value);
    return this.#valueText;
  }

  /** Parsed JSON when the key is JSON within the caps, else its text; null for a null key. */
  get key(): unknown {
    if (this.#key === NOT_YET) {
      this.#key = this.source.key === null ? null : (jsonForCel(this.source.key, this.keyText) ?? this.keyText);
    }
    return this.#key;
  }

  /** Parsed JSON when the value is JSON within the caps, else its text; null for a tombstone. */
  get value(): unknown {
    if (this.#value === NOT_YET) {
      this.#value = this.source.value === null ? null : (jsonForCel(this.source.value, this.valueText) ?? this.valueText);
    }
    return this.#value;
  }

  /** Header values as text; the last one wins when a key repeats; a null header value reads as "". */
  get headers(): Map<string, string> {
    if (this.#headers === NOT_YET) this.#headers = new Map(this.source.headers.map(([name, value]) => [name, textOf(value)]));
    return this.#headers;
  }

  /** Kafbat's filter variable. Only the fields the expression reads are filled, so none is computed for nothing. */
  get record(): Map<string, unknown> {
    if (this.#record === NOT_YET) {
      this.#record = new Map();
      for (const field of this.recordFields) this.#record.set(field, this.recordField(field));
    }
    return this.#record;
  }

  private recordField(field: RecordField): unknown {
    switch (field) {
      case 'timestampMs':
        return this.timestamp;
      case 'keyAsText':
        return this.keyText;
      case 'valueAsText':
        return this.valueText;
      default:
        return this[field];
    }
  }
}

function textOf(bytes: Uint8Array | null): string {
  return bytes === null ? '' : decoder.decode(bytes);
}
