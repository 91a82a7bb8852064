import { Module } from '@nestjs/common';
import { AuthModule } from '../modules/auth/auth.module.js';
import { LinesModule } from '../modules/lines/lines.module.js';
import { LiveGateway } from './live.gateway.js';

@Module({ imports: [AuthModule, LinesModule], providers: [LiveGateway] })
export class RealtimeModule {}
