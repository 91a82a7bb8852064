import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserView } from '@floorboard/shared';
import { badRequest } from '../../common/error-codes.js';
import { MinRole } from './auth.decorators.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

export const uuidParam = new ParseUUIDPipe({
  exceptionFactory: () => badRequest('VALIDATION_FAILED', 'id must be a UUID'),
});

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @MinRole('admin')
  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @MinRole('admin')
  @ApiOperation({ summary: 'Create a user (409 USER_EXISTS)' })
  @Post()
  create(@Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(body);
  }

  @MinRole('admin')
  @ApiOperation({
    summary: 'Change role, disabled, password (409 LAST_ADMIN when no enabled admin would be left)',
    description: 'Disabling or setting a password ends all sessions of the user.',
  })
  @Patch(':id')
  update(@Param('id', uuidParam) id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(id, body);
  }
}
