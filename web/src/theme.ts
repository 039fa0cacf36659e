import { type CSSVariablesResolver, createTheme, type MantineColorsTuple } from '@mantine/core';

// A deep navy like Semaphore's primary buttons; shade 7 keeps white text above 7:1 contrast.
const navy: MantineColorsTuple = [
  '#edf1fd',
  '#d9e0f7',
  '#b0bfec',
  '#8599e1',
  '#6278d7',
  '#4b63d1',
  '#3d57cb',
  '#2f4fb5',
  '#2742a0',
  '#1c3488',
];

/** The console's Mantine theme: light, neutral, Semaphore-like, every text colour at WCAG AA contrast or better. */
export const theme = createTheme({
  primaryColor: 'navy',
  primaryShade: 7,
  colors: { navy },
  fontFamily: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '700' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  components: {
    Button: { defaultProps: { radius: 'md' } },
    // Links inside text must not rely on colour alone (WCAG 1.4.1): always underlined.
    Anchor: { defaultProps: { underline: 'always' } },
    InputWrapper: { styles: { label: { fontWeight: 600 } } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'md' } },
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
      // Mantine paints the description in gray.6 directly, not through --mantine-color-dimmed.
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    },
  },
});

// Mantine's default "dimmed" grey (#868e96) is 3.3:1 on white, below WCAG AA for body text: use darker shades.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c5f66',
    '--mantine-color-placeholder': '#6b6f76',
    // red.6 (#fa5252) is 3.3:1 on white; red.9 keeps error messages and invalid fields readable.
    '--mantine-color-error': '#c92a2a',
    // Text on "light" alerts and icons uses shade 7 by default, too pale for red, orange and green on their tint.
    '--mantine-color-red-light-color': '#c92a2a',
    '--mantine-color-orange-light-color': '#b03d0c',
    '--mantine-color-green-light-color': '#237032',
    // Filled buttons use shade 7 as well; white text needs red.9 (5.5:1) rather than red.7 (3.8:1).
    '--mantine-color-red-filled': '#c92a2a',
    '--mantine-color-red-filled-hover': '#a51f1f',
  },
  dark: {},
});
