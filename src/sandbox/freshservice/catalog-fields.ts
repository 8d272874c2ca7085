// Validates the custom_fields a requester fills in on a service catalog item against the item's field
// definitions, the way the portal form and place_request do: required fields, dropdown choices, types,
// unknown fields. Errors name `custom_fields.<name>`.
import type { CatalogFieldDef, CatalogItemRecord } from './records';
import { validationError, type FsErrorItem } from './wire';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkField(f: CatalogFieldDef, value: unknown): FsErrorItem | undefined {
  const field = `custom_fields.${f.name}`;
  switch (f.field_type) {
    case 'custom_number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { field, message: 'It should be a/an Number', code: 'datatype_mismatch' };
      }
      if (value < 0) return { field, message: 'It should be a positive number', code: 'invalid_value' };
      return undefined;
    case 'custom_checkbox':
      return typeof value === 'boolean'
        ? undefined
        : { field, message: 'It should be a/an Boolean', code: 'datatype_mismatch' };
    case 'custom_date':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? undefined
        : { field, message: 'It should be in the YYYY-MM-DD format', code: 'invalid_value' };
    case 'custom_dropdown':
      return typeof value === 'string' && f.choices.includes(value)
        ? undefined
        : {
            field,
            message: `It should be one of these values: '${f.choices.join(',')}'`,
            code: 'invalid_value',
          };
    case 'custom_text':
    case 'custom_paragraph':
      if (typeof value !== 'string')
        return { field, message: 'It should be a/an String', code: 'datatype_mismatch' };
      if (f.format === 'email' && !EMAIL.test(value)) {
        return { field, message: 'It should be a valid email address', code: 'invalid_value' };
      }
      return undefined;
  }
}

/** Returns the values to store (blank optional fields dropped) or throws a 400 listing every problem. */
export function validateCatalogFields(
  item: CatalogItemRecord,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const errors: FsErrorItem[] = [];
  const defs = new Map(item.custom_fields.map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(values)) {
    if (!defs.has(name)) {
      errors.push({
        field: `custom_fields.${name}`,
        message: 'Unexpected/invalid field in request',
        code: 'invalid_field',
      });
    }
  }
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  for (const f of item.custom_fields) {
    const value = values[f.name];
    if (blank(value)) {
      if (f.required)
        errors.push({
          field: `custom_fields.${f.name}`,
          message: 'It should be present',
          code: 'missing_field',
        });
      continue;
    }
    const problem = checkField(f, value);
    if (problem) errors.push(problem);
    else out[f.name] = value;
    for (const other of f.excludes ?? []) {
      if (!blank(values[other])) {
        errors.push({
          field: `custom_fields.${f.name}`,
          message: `It cannot be filled in together with ${other}`,
          code: 'incompatible_field',
        });
      }
    }
  }
  if (errors.length > 0) throw validationError(errors);
  return out;
}
