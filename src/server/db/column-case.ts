import type { Model, ModelStatic } from 'sequelize';

const quoted = (model: ModelStatic<Model>, attribute: string) =>
  model.sequelize!.getQueryInterface().quoteIdentifier(model.rawAttributes[attribute]?.field ?? attribute);

/**
 * `CASE key WHEN k1 THEN v1 … END` for an UPDATE's SET, so rows that each get their own number are written by one
 * statement (with `addTo`, the column's value plus that number). Only whole numbers go in, as literals.
 */
export function columnCase(model: ModelStatic<Model>, key: string, values: Map<number, number>, addTo?: string) {
  const whens: string[] = [];
  for (const [k, v] of values) {
    if (!Number.isSafeInteger(k) || !Number.isSafeInteger(v)) throw new TypeError(`not whole numbers: ${k}, ${v}`);
    whens.push(`WHEN ${k} THEN ${v}`);
  }
  const expression = `CASE ${quoted(model, key)} ${whens.join(' ')} END`;
  return model.sequelize!.literal(addTo ? `${quoted(model, addTo)} + ${expression}` : expression);
}
