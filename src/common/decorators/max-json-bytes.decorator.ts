import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The value's JSON text may hold at most `max` bytes (bounds what clients make us store). */
export function MaxJsonBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      validator: {
        validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '') <= max,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be at most ${max} bytes of JSON`,
      },
    },
    options,
  );
}
