import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreatedToken, TokenView } from '@floorboard/shared';
import { AccessTokensService } from './access-tokens.service.js';
import { MinRole } from './auth.decorators.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import type { Principal } from './principal.js';
import { uuidParam } from './users.controller.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('display-tokens')
export class DisplayTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @MinRole('admin')
  @Get()
  list(): Promise<TokenView[]> {
    return this.tokens.list('display');
  }

  @MinRole('admin')
  @ApiOperation({ summary: 'A wall-screen token (fbd_…, acts as a viewer); the token is shown only in this answer' })
  @Post()
  create(@Body() body: CreateTokenDto, @CurrentPrincipal() principal: Principal): Promise<CreatedToken> {
    return this.tokens.create('display', body.name, principal.name);
  }

  @MinRole('admin')
  @ApiOperation({ summary: 'Revoke: the token stops working and its open sockets are closed' })
  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', uuidParam) id: string): Promise<void> {
    return this.tokens.revoke('display', id);
  }
}

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('ingest-tokens')
export class IngestTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @MinRole('admin')
  @Get()
  list(): Promise<TokenView[]> {
    return this.tokens.list('ingest');
  }

  @MinRole('admin')
  @ApiOperation({ summary: 'A gateway token (fbi_…, accepted only by ingest routes); shown only in this answer' })
  @Post()
  create(@Body() body: CreateTokenDto, @CurrentPrincipal() principal: Principal): Promise<CreatedToken> {
    return this.tokens.create('ingest', body.name, principal.name);
  }

  @MinRole('admin')
  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', uuidParam) id: string): Promise<void> {
    return this.tokens.revoke('ingest', id);
  }
}
