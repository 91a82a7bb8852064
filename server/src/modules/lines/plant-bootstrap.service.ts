import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { PlantFile } from '@floorboard/shared';
import { PlantService } from './plant.service.js';

/** The plant file validated before boot (FLOORBOARD_PLANT, or the demo plant in demo mode), or null. */
export const BOOT_PLANT = Symbol('BOOT_PLANT');

/** Applies the boot plant before live state is built (all onModuleInit hooks run before onApplicationBootstrap). */
@Injectable()
export class PlantBootstrapService implements OnModuleInit {
  constructor(
    private readonly plant: PlantService,
    @Inject(BOOT_PLANT) private readonly bootPlant: PlantFile | null,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.bootPlant) await this.plant.apply(this.bootPlant);
  }
}
