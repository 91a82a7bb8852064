import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

/** A credential stopped being valid: connected sockets that were opened with it are closed. */
export interface CredentialRevoked {
  kind: 'user' | 'display';
  /** users.id or display_tokens.id */
  id: string;
}

/** In-process notifications from the auth services to the realtime gateway. */
@Injectable()
export class AuthEventsService {
  readonly revoked = new Subject<CredentialRevoked>();
}
