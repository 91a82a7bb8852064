import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StopReason } from '@floorboard/shared';
import { MinRole } from '../auth/auth.decorators.js';
import { CreateReasonDto, UpdateReasonDto } from './dto/reason.dto.js';
import { ReasonsService } from './reasons.service.js';

@ApiTags('stops')
@ApiBearerAuth()
@Controller('reasons')
export class ReasonsController {
  constructor(private readonly reasons: ReasonsService) {}

  @MinRole('viewer')
  @ApiOperation({ summary: 'The stop reason catalogue, a flat list whose `parent` keys make the tree' })
  @Get()
  list(): Promise<StopReason[]> {
    return this.reasons.list();
  }

  @MinRole('manager')
  @ApiOperation({ summary: 'Adds a reason (409 REASON_EXISTS, 422 REASON_PARENT_UNKNOWN)' })
  @Post()
  create(@Body() body: CreateReasonDto): Promise<StopReason> {
    return this.reasons.create(body);
  }

  @MinRole('manager')
  @ApiOperation({ summary: "Renames, moves or recategorises a reason; stops keep it (it's the key they store)" })
  @Patch(':key')
  update(@Param('key') key: string, @Body() body: UpdateReasonDto): Promise<StopReason> {
    return this.reasons.update(key, body);
  }

  @MinRole('manager')
  @ApiOperation({ summary: 'Removes a reason no stop uses and no reason hangs under (409 REASON_IN_USE otherwise)' })
  @Delete(':key')
  @HttpCode(204)
  remove(@Param('key') key: string): Promise<void> {
    return this.reasons.remove(key);
  }
}
