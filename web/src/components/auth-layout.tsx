import type { ReactNode } from 'react';
import classes from './auth-layout.module.css';
import { RosterMark } from './icons';

/** The frame of the pages seen before full access: login and the forced password change. */
export function AuthLayout({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className={classes.page}>
      <header className={classes.bar}>
        <span className={classes.brand}>
          <RosterMark />
          Roster
        </span>
        {actions}
      </header>
      <main id="main" tabIndex={-1} className={classes.content}>
        <div className={classes.panel}>{children}</div>
      </main>
    </div>
  );
}
