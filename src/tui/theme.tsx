// Colours and emphasis in one place, so `noColor` (and NO_COLOR) can turn every escape code off:
// with it, components get no colour, bold, dim or inverse, and badges stay readable as text.
import React, { createContext, useContext } from 'react';
import { Text } from 'ink';
import type { Mode } from '../core/control.ts';
import type { RiskState } from '../core/types.ts';

export interface Theme {
  readonly noColor: boolean;
}

const ThemeContext = createContext<Theme>({ noColor: false });

export const ThemeProvider = ThemeContext.Provider;

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'muted' | 'accent' | 'plain';

const toneColor: Record<Tone, string | undefined> = {
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  info: 'cyan',
  muted: 'gray',
  accent: 'blue',
  plain: undefined,
};

/** Text in a tone; plain text when colours are off. */
export function Styled(props: { tone?: Tone; bold?: boolean; inverse?: boolean; children: React.ReactNode }): React.ReactElement {
  const { noColor } = useTheme();
  if (noColor) return <Text>{props.children}</Text>;
  return (
    <Text color={toneColor[props.tone ?? 'plain']} bold={props.bold} inverse={props.inverse} dimColor={props.tone === 'muted'}>
      {props.children}
    </Text>
  );
}

export function toneOfAmount(micros: number): Tone {
  return micros > 0 ? 'good' : micros < 0 ? 'bad' : 'plain';
}

export function toneOfRisk(state: RiskState): Tone {
  return state === 'active' ? 'good' : state === 'halted' ? 'bad' : 'warn';
}

const modeColor: Record<Mode, string> = { live: 'red', paper: 'yellow', replay: 'cyan' };

/** The mode, impossible to mistake: a coloured inverse block, or `[LIVE]` without colour. */
export function ModeBadge(props: { mode: Mode }): React.ReactElement {
  const { noColor } = useTheme();
  const label = props.mode.toUpperCase();
  if (noColor) return <Text>{`[${label}]`}</Text>;
  return (
    <Text color={modeColor[props.mode]} inverse bold>
      {` ${label} `}
    </Text>
  );
}
