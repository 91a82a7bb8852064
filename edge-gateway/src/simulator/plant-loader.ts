import { readFile } from 'node:fs/promises';
import { DEMO_PLANT, describeIssues, plantFileSchema, type PlantFile } from '@floorboard/shared';
import { parse } from 'yaml';

/** The plant to simulate: the YAML file at `file` (validated like the server does), else the demo plant. */
export async function loadPlant(file: string | undefined): Promise<PlantFile> {
  if (file === undefined) return DEMO_PLANT;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`FLOORBOARD_PLANT: cannot read ${file}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new Error(`FLOORBOARD_PLANT: ${file} is not valid YAML`, { cause: error });
  }
  const parsed = plantFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `FLOORBOARD_PLANT: ${file} is not a valid plant file:\n  ${describeIssues(parsed.error.issues).join('\n  ')}`,
    );
  }
  return parsed.data;
}
