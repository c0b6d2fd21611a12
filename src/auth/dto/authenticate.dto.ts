import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MaxJsonBytes } from '../../common/decorators/max-json-bytes.decorator.js';
import type { AttributeValue } from '../../model/target.js';

/** What Harness SaaS accepts as a target identifier (docs/sdk-api.md, "Auth"). */
export const TARGET_IDENTIFIER_PATTERN = /^[A-Za-z0-9.@_-]*$/;
/** Unicode letters, ASCII digits (Go RE2 `\d`), space, `.`, `@`, `_`, `-` (step 6). */
export const TARGET_NAME_PATTERN = /^[\p{L}0-9 .@_-]*$/u;
/**
 * Targets sent at auth are stored (Redis, memory) and forwarded: bound them. Far above what an
 * app puts in a target; a browser's Harness-Target header is bounded by the header size apart.
 */
export const MAX_TARGET_ATTRIBUTES_BYTES = 32 * 1024;

export class AuthTargetDto {
  @IsString()
  @Matches(TARGET_IDENTIFIER_PATTERN, { message: 'target identifier is invalid' })
  @MaxLength(256)
  identifier!: string;

  @IsOptional()
  @IsString()
  @Matches(TARGET_NAME_PATTERN, { message: 'target name is invalid' })
  @MaxLength(256)
  name?: string;

  @IsOptional() @IsBoolean() anonymous?: boolean;

  @IsOptional()
  @IsObject()
  @MaxJsonBytes(MAX_TARGET_ATTRIBUTES_BYTES)
  attributes?: Record<string, AttributeValue>;
}

export class AuthenticateDto {
  @IsString({ message: 'apiKey cannot be empty' })
  @IsNotEmpty({ message: 'apiKey cannot be empty' })
  apiKey!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AuthTargetDto)
  target?: AuthTargetDto;
}
