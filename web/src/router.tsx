import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from './features/session/require-session';
import { AuditPage } from './routes/audit-page';
import { GroupsPage } from './routes/groups-page';
import { HomePage } from './routes/home-page';
import { LoginPage } from './routes/login-page';
import { NotFoundRoute } from './routes/not-found-page';
import { PeoplePage } from './routes/people-page';
import { ProfilePage } from './routes/profile-page';
import { ProjectsPage } from './routes/projects-page';
import { RolesPage } from './routes/roles-page';
import { RouteErrorPage } from './routes/route-error-page';

/** The console's addresses (SPEC §4): stable and bookmarkable. */
export function createRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteErrorPage />,
      children: [
        { path: '/login', element: <LoginPage /> },
        {
          element: <RequireSession />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'profile', element: <ProfilePage /> },
            { path: 'people', element: <PeoplePage /> },
            { path: 'projects', element: <ProjectsPage /> },
            { path: 'groups', element: <GroupsPage /> },
            { path: 'audit', element: <AuditPage /> },
            { path: 'settings', element: <Navigate to="/settings/roles" replace /> },
            { path: 'settings/roles', element: <RolesPage /> },
          ],
        },
        { path: '*', element: <NotFoundRoute /> },
      ],
    },
  ]);
}
