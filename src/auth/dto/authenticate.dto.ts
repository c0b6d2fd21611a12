import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { AttributeValue } from '../../model/target.js';

/** What Harness SaaS accepts as a target identifier (`sdk-api.md` §2.2 step 5). */
export const TARGET_IDENTIFIER_PATTERN = /^[A-Za-z0-9.@_-]*$/;
/** Unicode letters, ASCII digits (Go RE2 `\d`), space, `.`, `@`, `_`, `-` (step 6). */
export const TARGET_NAME_PATTERN = /^[\p{L}0-9 .@_-]*$/u;

export class AuthTargetDto {
  @IsString()
  @Matches(TARGET_IDENTIFIER_PATTERN, { message: 'target identifier is invalid' })
  identifier!: string;

  @IsOptional()
  @IsString()
  @Matches(TARGET_NAME_PATTERN, { message: 'target name is invalid' })
  name?: string;

  @IsOptional() @IsBoolean() anonymous?: boolean;

  @IsOptional() @IsObject() attributes?: Record<string, AttributeValue>;
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
