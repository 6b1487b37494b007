import type { Model, ModelStatic } from 'sequelize';

/**
 * `column + by` for an UPDATE's SET, so a counter moves in the same statement as the other columns: Sequelize's
 * `increment` writes only the counters. The column is the attribute's own (`underscored` apps rename it).
 */
export function columnPlus(model: ModelStatic<Model>, attribute: string, by: number) {
  if (!Number.isSafeInteger(by)) throw new TypeError(`not a whole number: ${by}`);
  const column = model.rawAttributes[attribute]?.field ?? attribute;
  const quoted = model.sequelize!.getQueryInterface().quoteIdentifier(column);
  return model.sequelize!.literal(`${quoted} + ${by}`);
}
