export class LivezResponseDto {
  readonly status = 'alive';
}
