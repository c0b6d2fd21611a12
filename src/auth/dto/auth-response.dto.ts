export class AuthResponseDto {
  constructor(readonly authToken: string) {}
}
