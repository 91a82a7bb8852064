import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hash, verify } from '@node-rs/argon2';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { UserEntity } from './user.entity.js';

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$1k+JCRcmN8vvnIcvp/zYYw$eHO2lq4ERHrBSskdQK4fIsQ6p9y5SQc/EHltTzp2FU4';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the first admin when there is no user at all. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    await this.users.save(
      this.users.create({ username: 'admin', passwordHash: await hash(password), role: 'admin', disabled: false }),
    );
    if (this.config.adminPassword) {
      this.logger.log({ msg: 'first admin created from FLOORBOARD_ADMIN_PASSWORD', username: 'admin' });
    } else {
      // Shown once, the only way to reach a fresh install that was given no password.
      this.logger.warn({
        msg: 'first admin created with a generated password; change it',
        username: 'admin',
        password,
      });
    }
  }

  async verifyCredentials(username: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.findOne({ where: { username } });
    const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    return user && ok && !user.disabled ? user : null;
  }
}
