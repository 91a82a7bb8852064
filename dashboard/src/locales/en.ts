/**
 * Every user-visible text of the dashboard. Placeholders use the vue-i18n syntax (`{name}`) so this map
 * can be handed to vue-i18n unchanged once it is installed.
 */
export const en = {
  app: {
    name: 'Floorboard',
    signedInAs: 'Signed in as {username} ({role})',
    logout: 'Log out',
    mainNavigation: 'Main navigation',
    plantOverview: 'Plant overview',
  },
  roles: {
    viewer: 'viewer',
    coordinator: 'coordinator',
    planner: 'planner',
    manager: 'manager',
    admin: 'admin',
  },
  login: {
    title: 'Sign in',
    subtitle: 'Live production-line monitoring',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
  },
  connection: {
    idle: 'Not connected',
    connecting: 'Connecting to live data…',
    live: 'Live data connected',
    lost: 'Connection lost — reconnecting…',
  },
  overview: {
    title: 'Plant overview',
    loading: 'Loading lines…',
    empty: 'No lines are configured yet.',
    stationCount: '{count} stations',
    site: 'Site {site}',
    waitingForData: 'Waiting for live data',
    stationChip: '{station}: {state}',
  },
  line: {
    backToOverview: 'All lines',
    waitingForSnapshot: 'Waiting for live data…',
    stale: 'Live updates interrupted — showing data from {time}',
    lastUpdate: 'Updated {time}',
    stations: 'Stations',
  },
  station: {
    position: 'Station {position}',
    timeInState: 'Time in state',
    reason: 'Reason',
    good: 'Good',
    scrap: 'Scrap',
    stale: 'Not live',
  },
  states: {
    running: 'Running',
    idle: 'Idle',
    starved: 'Starved',
    blocked: 'Blocked',
    down: 'Down',
    changeover: 'Changeover',
    maintenance: 'Maintenance',
    break: 'Break',
    offline: 'Offline',
  },
  units: {
    day: 'd',
    hour: 'h',
    minute: 'm',
    second: 's',
  },
  notFound: {
    title: 'Page not found',
    body: 'There is nothing at {path}.',
  },
  errors: {
    AUTH_INVALID_CREDENTIALS: 'Wrong username or password.',
    AUTH_REQUIRED: 'Your session has ended. Please sign in again.',
    LINE_NOT_FOUND: 'This line does not exist.',
    NETWORK_ERROR: 'The server cannot be reached. Check the network and try again.',
    unknown: 'Something went wrong ({code}).',
  },
};

export type Messages = typeof en;
