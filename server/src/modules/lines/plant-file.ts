import fs from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { describeIssues, plantFileSchema, type PlantFile } from '@floorboard/shared';

export type PlantFileResult = { ok: true; plant: PlantFile } | { ok: false; code: string; errors: string[] };

/** Validates a plant document (already parsed from YAML or JSON), naming each bad field. */
export function validatePlant(document: unknown): PlantFileResult {
  const parsed = plantFileSchema.safeParse(document);
  if (!parsed.success) return { ok: false, code: 'PLANT_INVALID', errors: describeIssues(parsed.error.issues) };
  return { ok: true, plant: parsed.data };
}

/** Reads and validates the plant file named by `FLOORBOARD_PLANT` (YAML or JSON). */
export function readPlantFile(file: string): PlantFileResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, code: 'PLANT_FILE_UNREADABLE', errors: [`${file}: ${(error as Error).message}`] };
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : '';
    return {
      ok: false,
      code: 'PLANT_FILE_MALFORMED',
      errors: [`${file}${where}: ${(error as Error).message.split('\n')[0]}`],
    };
  }
  return validatePlant(document);
}
