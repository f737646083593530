class Hardtanh(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : NoneType
  inplace : Final[bool] = False
  min_val : Final[float] = -2.
  max_val : Final[float] = 3.
  def forward(self: __torch__.torch.nn.modules.activation.Hardtanh,
    input: Tensor) -> Tensor:
    _0 = __torch__.torch.nn.functional.hardtanh
    return _0(input, -2., 3., False, )
